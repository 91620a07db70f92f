import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/fix/diff.js";
import { git, makeGitRepo } from "../helpers/repo.js";

describe("the unified diff of a fix", () => {
  it("stays a patch git apply takes when thousands of lines change, in bounded time and memory", () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join("");
    const after = `${before.replace(/\n/g, " changed\n").slice(0, -1)}`;
    const dir = makeGitRepo({ "big.md": before, "other.md": "kept\n" });
    const started = performance.now();
    const patch = unifiedDiff("big.md", before, after);
    expect(performance.now() - started).toBeLessThan(20_000);
    writeFileSync(join(dir, "fix.patch"), patch);
    execFileSync("git", ["apply", "fix.patch"], { cwd: dir });
    expect(readFileSync(join(dir, "big.md"), "utf8")).toBe(after);
    expect(git(dir, "status", "--porcelain")).toBe(" M big.md\n?? fix.patch\n");
  });
});
