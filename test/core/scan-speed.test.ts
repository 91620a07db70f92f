import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codePoints } from "../../src/rules/_shared/skill-spec.js";
import { makeTree, skill } from "../helpers/repo.js";

const CLI = join(import.meta.dirname, "..", "..", "lib", "src", "cli", "main.js");

describe("the cheaper paths of a scan", () => {
  it("counts code points as the string iterator does, lone surrogates included", () => {
    for (const text of ["", "plain", "é", "😀", "a😀b😀", "\ud83d", "\ude00", "\ude00\ud83d", "x\ud83d", "\ud83d\ud83d\ude00", "e\u0301"]) {
      expect(codePoints(text)).toBe([...text].length);
    }
  });

  it("prints the time each rule took, slowest first, when SKILLDEX_PROFILE_RULES=1", () => {
    const root = makeTree({ "skills/good/SKILL.md": skill("good"), ".claude/agents/bad.md": "---\nname: bad\n---\n" });
    const run = spawnSync(process.execPath, [CLI, "scan", root, "--fail-on", "never"], { env: { ...process.env, SKILLDEX_PROFILE_RULES: "1" }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^rules: [\d.]+ ms in \d+ rules\n/);
    expect(run.stderr).toMatch(/ms +1 calls {2}agent\/description-required\n/);
    const quiet = spawnSync(process.execPath, [CLI, "scan", root, "--fail-on", "never"], { env: { ...process.env, SKILLDEX_PROFILE_RULES: "" }, encoding: "utf8" });
    expect(quiet.stderr).toBe("");
  });
});
