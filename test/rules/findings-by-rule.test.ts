import { describe, expect, it } from "vitest";
import { byKey, scanTree, type Tree } from "../helpers/repo.js";

interface Seen {
  rule: string;
  files: Tree;
  key: string;
  status: "success" | "failed";
  finding: { severity: string; message: string; line: number; column: number };
}

const SEEN: Seen[] = [
  {
    rule: "json/valid",
    files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n}\n' },
    key: "plugin:p",
    status: "failed",
    finding: { severity: "error", message: "The file is not valid JSON: a trailing comma before `}` (JSON allows none).", line: 3, column: 1 },
  },
  {
    rule: "json/root-object",
    files: { "p/.claude-plugin/plugin.json": "[1]\n" },
    key: "plugin:p",
    status: "failed",
    finding: { severity: "error", message: "The file must hold a JSON object, not an array.", line: 1, column: 1 },
  },
  {
    rule: "file/size-limit",
    files: { "skills/big/SKILL.md": `---\nname: big\ndescription: x\n---\n${"a".repeat(1_100_000)}\n` },
    key: "skill:big",
    status: "failed",
    finding: { severity: "error", message: "The file is 1.0 MiB, over the 1.0 MiB limit for a manifest; it was not read.", line: 1, column: 1 },
  },
  {
    rule: "file/readable",
    files: { ".claude/commands/ghost.md": { symlink: "/nonexistent/ghost.md" } },
    key: "command:ghost",
    status: "failed",
    finding: { severity: "error", message: "The file cannot be read: no such file (a dangling symlink?).", line: 1, column: 1 },
  },
  {
    rule: "command/frontmatter",
    files: { "p/.claude-plugin/plugin.json": '{"name": "p"}', "p/commands/deploy.md": "Deploy it.\n" },
    key: "command:p/deploy",
    status: "success",
    finding: { severity: "warning", message: "The file has no frontmatter block: it must start with a `---` line and close with another `---`.", line: 1, column: 1 },
  },
  {
    rule: "monitor/entries",
    files: { "p/.claude-plugin/plugin.json": '{"name": "p"}', "p/monitors/monitors.json": '{"name": "log"}' },
    key: "monitor:p",
    status: "failed",
    finding: { severity: "error", message: "The monitors file must hold a list of monitors, not an object.", line: 1, column: 1 },
  },
  {
    rule: "workflow/meta",
    files: { "p/.claude-plugin/plugin.json": '{"name": "p"}', "p/workflows/release.js": "export default async function release() {}\n" },
    key: "workflow:p/release",
    status: "failed",
    finding: { severity: "error", message: "The workflow exports no `meta`; Claude Code loads a workflow only with `export const meta = { name, description }`.", line: 1, column: 1 },
  },
];

describe("the finding a user sees from each rule", () => {
  it.each(SEEN.map((c) => [c.rule, c] as const))("%s", async (rule, c) => {
    const artifact = byKey(await scanTree(c.files), c.key);
    expect(artifact.findings.filter((f) => f.rule === rule)).toEqual([expect.objectContaining(c.finding)]);
    expect(artifact.status).toBe(c.status);
  });
});
