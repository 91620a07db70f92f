import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { byKey, makeTree, skill, writeTree } from "../helpers/repo.js";

const withField = (name: string): string => `---\nname: ${name}\ndescription: Does ${name}. Use when asked.\nextra: field\n---\nbody\n`;

async function cli(args: string[], cwd: string): Promise<number> {
  return runCli(args, { stdout: () => {}, stderr: () => {}, cwd, env: {} });
}

describe("a scan with the settings file's rules and the baseline", () => {
  it("turns one rule off and another to error, and says which settings applied", async () => {
    const files = { "skills/a/SKILL.md": withField("a"), "skills/b/SKILL.md": withField("other"), "legacy/skills/c/SKILL.md": withField("wrong") };
    const before = await scan({ root: makeTree(files) });
    expect(before.metrics.findings).toEqual({ error: 0, warning: 5, notice: 0 });
    const root = makeTree({ ...files, ".github/skilldex.yml": 'rules:\n  skill/allowed-fields: "off"\n  skill/name-matches-directory: error\noverrides:\n  - files: ["legacy/**"]\n    rules: {skill/name-matches-directory: warning}\n' });
    const after = await scan({ root });
    expect(after.metrics.findings).toEqual({ error: 1, warning: 1, notice: 0 });
    expect(byKey(after, "skill:b").status).toBe("failed");
    expect(after.settings).toEqual({ rules: { "skill/allowed-fields": "off", "skill/name-matches-directory": "error" }, overrides: [{ files: ["legacy/**"], rules: { "skill/name-matches-directory": "warning" }, artifacts: 1 }] });
  });

  it("passes once a baseline holds today's failures, and fails on a new one", async () => {
    const root = makeTree({ "skills/good/SKILL.md": skill("good"), ".claude/agents/old.md": "no frontmatter\n" });
    expect(await cli(["scan", "."], root)).toBe(1);
    expect(await cli(["baseline"], root)).toBe(0);
    let text = "";
    expect(await runCli(["scan", "."], { stdout: (t) => (text += t), stderr: () => {}, cwd: root, env: {} })).toBe(0);
    expect(text).toMatch(/The baseline \.github\/skilldex-baseline\.json holds back \d+ findings?, which fail nothing\./);
    writeTree(root, { ".claude/agents/new.md": "no frontmatter\n" });
    expect(await cli(["scan", "."], root)).toBe(1);
  });
  it("scans a repository whose settings file turns the App's checks off, and refuses a value that is not true or false", async () => {
    const off = await scan({ root: makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": "app-checks: false\n" }) });
    expect(byKey(off, "skill:a").status).toBe("success");
    await expect(scan({ root: makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": "app-checks: maybe\n" }) })).rejects.toThrow(/1:13: app-checks must be true or false/);
  });
});
