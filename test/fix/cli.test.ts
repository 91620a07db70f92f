import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { spliceFixes } from "../../src/fix/edits.js";
import { makeTree } from "../helpers/tree.js";

async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

const brokenPlugin = `{\n  "name": "pdf-tools",\n  "commands": ["cmds/deploy.md"],\n}\n`;
const files = { ".claude-plugin/plugin.json": brokenPlugin, "cmds/deploy.md": "---\ndescription: Deploy\n---\nDeploy.\n" };

describe("skilldex fix", () => {
  it("applies the safe fixes, says what changed, and exits 0 when nothing fails after", async () => {
    const root = makeTree(files);
    const { code, stdout } = await cli(["fix", root]);
    expect(readFileSync(join(root, ".claude-plugin/plugin.json"), "utf8")).toBe(`{\n  "name": "pdf-tools",\n  "commands": ["./cmds/deploy.md"]\n}\n`);
    expect(stdout).toContain("fixed .claude-plugin/plugin.json: json/valid, plugin/component-paths");
    expect(stdout).toContain("applied 2 fixes in 1 file · after fixing: 2 imported · 0 skipped · 0 failed");
    expect(code).toBe(0);
  });

  it("with --dry-run prints a unified diff and writes nothing", async () => {
    const root = makeTree(files);
    const { code, stdout } = await cli(["fix", "--dry-run", root]);
    expect(readFileSync(join(root, ".claude-plugin/plugin.json"), "utf8")).toBe(brokenPlugin);
    expect(stdout).toContain(
      ["--- a/.claude-plugin/plugin.json", "+++ b/.claude-plugin/plugin.json", "@@ -1,4 +1,4 @@", " {", '   "name": "pdf-tools",', '-  "commands": ["cmds/deploy.md"],', '+  "commands": ["./cmds/deploy.md"]', " }", ""].join("\n"),
    );
    expect(stdout).toContain("would apply 2 fixes in 1 file");
    expect(code).toBe(0);
  });

  it("exits 1 when an artifact still fails after fixing, and leaves suggested fixes unless asked", async () => {
    const root = makeTree({ ".claude-plugin/plugin.json": `{ "name": "claude-pdf" }\n` });
    const plain = await cli(["fix", root]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain("1 fix suggested left (--suggested)");
    expect(readFileSync(join(root, ".claude-plugin/plugin.json"), "utf8")).toBe(`{ "name": "claude-pdf" }\n`);
    const suggested = await cli(["fix", "--suggested", root]);
    expect(readFileSync(join(root, ".claude-plugin/plugin.json"), "utf8")).toBe(`{ "name": "pdf" }\n`);
    expect(suggested.code).toBe(0);
  });

  it("with --suggested adds a missing description from the body's first paragraph", async () => {
    const root = makeTree({ "skills/pdf/SKILL.md": "---\nname: pdf\n---\n# PDF\n\nReads PDF files and\nfills in forms.\n\nMore.\n" });
    await cli(["fix", "--suggested", "--profile", "agentskills", root]);
    expect(readFileSync(join(root, "skills/pdf/SKILL.md"), "utf8")).toBe('---\nname: pdf\ndescription: "Reads PDF files and fills in forms."\n---\n# PDF\n\nReads PDF files and\nfills in forms.\n\nMore.\n');
  });

  it("exits 2 with one line on bad usage", async () => {
    const { code, stderr } = await cli(["fix", "--profile", "strict", makeTree(files)]);
    expect(code).toBe(2);
    expect(stderr).toBe('skilldex: error: --profile must be one of claude-code, agentskills, not "strict"\n');
  });

  it("says in the text report how many findings skilldex fix would repair", async () => {
    const { stdout } = await cli(["scan", makeTree(files)]);
    expect(stdout).toContain("`skilldex fix` would repair 1 finding of these.");
  });
});

describe("spliceFixes", () => {
  it("applies fixes in order, defers one that overlaps a fix taken, and drops a duplicate", () => {
    const { text, applied, deferred } = spliceFixes("abcdef", [[{ start: 1, end: 3, text: "X" }], [{ start: 2, end: 4, text: "Y" }], [{ start: 1, end: 3, text: "X" }], [{ start: 5, end: 5, text: "!" }]]);
    expect(text).toBe("aXde!f");
    expect(applied).toEqual([0, 3]);
    expect(deferred).toEqual([1]);
  });
});
