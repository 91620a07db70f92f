import { describe, expect, it } from "vitest";
import { WorkspaceSource } from "../../src/source/workspace.js";
import { git, makeGitRepo, makeTree, writeTree } from "../helpers/repo.js";

const text = (read: Awaited<ReturnType<WorkspaceSource["readFile"]>>): string | null => (read.ok ? Buffer.from(read.bytes).toString() : null);

describe("the workspace source against a base", () => {
  it("says what the work tree changed since the base with git, from a sub-folder too, and reads files as they were", async () => {
    const root = makeGitRepo({ "pkg/a.md": "a v1\n", "pkg/gone.md": "gone\n", "pkg/same.md": "same\n", "outside.md": "x\n" });
    const base = git(root, "rev-parse", "HEAD").trim();
    git(root, "rm", "-q", "pkg/gone.md");
    writeTree(root, { "pkg/a.md": "a v2\n", "pkg/new.md": "new\n", "outside.md": "y\n" });
    const comparison = await new WorkspaceSource(`${root}/pkg`).compareWithBase(base);
    expect([...comparison.atBase].sort()).toEqual(["a.md", "gone.md", "same.md"]);
    expect([...comparison.changed].sort()).toEqual(["a.md", "gone.md", "new.md"]);
    expect(text(await comparison.readAtBase!("a.md", 100))).toBe("a v1\n");
    expect(text(await comparison.readAtBase!("gone.md", 100))).toBe("gone\n");
    expect(await comparison.readAtBase!("a.md", 2)).toEqual({ ok: false, code: "too_large", size: 5 });
    expect(await comparison.readAtBase!("new.md", 100)).toMatchObject({ ok: false, code: "io_error" });
  });

  it("refuses a base that names no commit, or a folder outside any repository", async () => {
    await expect(new WorkspaceSource(makeGitRepo({ "a.md": "a\n" })).compareWithBase("no-such-branch")).rejects.toThrow(/cannot compare with no-such-branch: no such commit/);
    await expect(new WorkspaceSource(makeTree({ "a.md": "a\n" })).compareWithBase("main")).rejects.toThrow(/not inside a git repository/);
  });
});
