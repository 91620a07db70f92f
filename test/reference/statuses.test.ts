import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAIL_REASON_CODES, SKIP_REASON_CODES, type ArtifactResult } from "../../src/model.js";
import { scanTree, skill, type Tree } from "../helpers/repo.js";

const doc = readFileSync("docs/reference/statuses.md", "utf8");
const documented = Object.fromEntries([...doc.matchAll(/<!-- example: (\w+) -->\n```text\n(.*)\n```/g)].map((m) => [m[1], m[2]]));

/** The repository behind each example of the page. */
const EXAMPLES: Record<string, { files: Tree; key: string }> = {
  in_skip_list: {
    key: "skill:legacy-pdf",
    files: {
      ".github/skilldex.yml": 'skip:\n  - key: skill:legacy-pdf\n    reason: Using alternative implementation\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#42"\n',
      "skills/legacy-pdf/SKILL.md": skill("legacy-pdf"),
    },
  },
  excluded: { key: "skill:old", files: { ".github/skilldex.yml": 'exclude: ["archive/**"]\n', "archive/skills/old/SKILL.md": skill("old") } },
  duplicate: { key: "command:deploy", files: { ".claude/commands/deploy.md": "Deploy.\n", "tools/commands/deploy.md": "Deploy.\n" } },
  json_parse_error: { key: "plugin:p", files: { "plugins/p/.claude-plugin/plugin.json": '{\n  "name": "p",\n}\n' } },
  yaml_parse_error: { key: "skill:pdf", files: { "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Use when: the user has a PDF\n---\n" } },
  missing_metadata: { key: "agent:triage", files: { ".claude/agents/triage.md": "---\nname: triage\n---\nYou triage issues.\n" } },
  invalid_field: { key: "plugin:p", files: { "plugins/p/.claude-plugin/plugin.json": '{"name": "My Plugin"}' } },
  invalid_structure: { key: "hook:p", files: { "plugins/p/.claude-plugin/plugin.json": '{"name": "p"}', "plugins/p/hooks/hooks.json": '{"PreToolUse": []}' } },
  broken_reference: { key: "marketplace:repo", files: { ".claude-plugin/marketplace.json": '{"name": "m", "owner": {"name": "o"}, "plugins": [{"name": "gone", "source": "./plugins/gone"}]}' } },
  too_large: { key: "plugin:big", files: { "plugins/big/.claude-plugin/plugin.json": `{"name": "big", "description": "${"x".repeat(1024 * 1024)}"}` } },
  io_error: { key: "command:ghost", files: { ".claude/commands/ghost.md": { symlink: "../../nowhere.md" } } },
};

function shown(artifact: ArtifactResult): string {
  if (artifact.status === "skipped") return `${artifact.key}: ${artifact.reason?.message}`;
  const f = artifact.findings.find((finding) => finding.severity === "error");
  return f ? `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}` : "(no error)";
}

describe("docs/reference/statuses.md", () => {
  it("has an example for every reason code", () => {
    expect(Object.keys(documented).sort()).toEqual([...SKIP_REASON_CODES, ...FAIL_REASON_CODES].sort());
  });

  it.each(Object.keys(EXAMPLES))("shows exactly what skilldex reports for %s", async (code) => {
    const example = EXAMPLES[code]!;
    // Under claude-code these two only warn: Claude Code repairs the YAML and ignores a missing folder.
    const profile = code === "yaml_parse_error" || code === "broken_reference" ? "agentskills" : "claude-code";
    const report = await scanTree(example.files, { profile });
    const candidates = report.artifacts.filter((a) => a.key === example.key);
    const artifact = candidates.find((a) => a.reason?.code === code) ?? candidates[0];
    expect(artifact?.reason?.code).toBe(code);
    expect(shown(artifact!)).toBe(documented[code]);
  });
});
