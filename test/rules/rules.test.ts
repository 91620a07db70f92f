import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/model.js";
import { byKey, pluginJson, scanTree, skill, type Tree } from "../helpers/repo.js";

interface Expectation {
  rule: string;
  files: Tree;
  key: string;
  /** The finding's `line:column`, and the artifact's status under each profile. */
  at: string;
  status: Partial<Record<Profile, "success" | "failed">>;
}

const fm = (lines: string): string => `---\n${lines}\n---\nBody.\n`;
const market = (plugins: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ name: "m", owner: { name: "o" }, plugins, ...extra }, null, 2);

const CASES: Expectation[] = [
  { rule: "skill/frontmatter", files: { "skills/a/SKILL.md": " ---\nname: a\n---\n" }, key: "skill:a", at: "1:1", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "frontmatter/yaml", files: { "skills/a/SKILL.md": fm("name: a\ndescription: Use when: asked") }, key: "skill:a", at: "3:14", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "frontmatter/yaml-unrepairable", files: { "skills/a/SKILL.md": fm('name: a\ndescription: "open') }, key: "skill:a", at: "4:1", status: { "claude-code": "failed" } },
  { rule: "skill/strict-yaml", files: { "skills/a/SKILL.md": fm("name: a\ndescription: x\nallowed-tools: [Read, Grep]") }, key: "skill:a", at: "4:16", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "frontmatter/mapping", files: { ".claude/agents/l.md": fm("- a\n- b") }, key: "agent:l", at: "2:1", status: { "claude-code": "failed", agentskills: "failed" } },
  { rule: "frontmatter/field-types", files: { "skills/a/SKILL.md": fm("name: a\ndescription: x\nallowed-tools: 5") }, key: "skill:a", at: "4:16", status: { "claude-code": "failed", agentskills: "success" } },
  { rule: "frontmatter/metadata-mapping", files: { "skills/a/SKILL.md": fm("name: a\ndescription: x\nmetadata: v1") }, key: "skill:a", at: "4:11", status: { "claude-code": "success" } },
  { rule: "skill/allowed-fields", files: { "skills/a/SKILL.md": fm("name: a\ndescription: x\nversion: 1") }, key: "skill:a", at: "4:1", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-required", files: { "skills/a/SKILL.md": fm("description: x") }, key: "skill:a", at: "1:1", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-length", files: { [`skills/${"a".repeat(65)}/SKILL.md`]: skill("a".repeat(65)) }, key: `skill:${"a".repeat(65)}`, at: "2:7", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-lowercase", files: { "skills/My-Skill/SKILL.md": skill("My-Skill") }, key: "skill:My-Skill", at: "2:7", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-hyphens", files: { "skills/a--b/SKILL.md": skill("a--b") }, key: "skill:a--b", at: "2:7", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-characters", files: { "skills/a_b/SKILL.md": skill("a_b") }, key: "skill:a_b", at: "2:7", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/name-matches-directory", files: { "skills/pdf/SKILL.md": skill("pdf-tools") }, key: "skill:pdf", at: "2:7", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/description-required", files: { "skills/a/SKILL.md": fm("name: a") }, key: "skill:a", at: "1:1", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/description-length", files: { "skills/a/SKILL.md": fm(`name: a\ndescription: ${"d".repeat(1025)}`) }, key: "skill:a", at: "3:14", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "skill/compatibility", files: { "skills/a/SKILL.md": fm(`name: a\ndescription: x\ncompatibility: ${"c".repeat(501)}`) }, key: "skill:a", at: "4:16", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "agent/name-required", files: { ".claude/agents/r.md": fm("description: x") }, key: "agent:r", at: "1:1", status: { "claude-code": "failed", agentskills: "failed" } },
  { rule: "agent/name-format", files: { ".claude/agents/r.md": fm("name: team:r\ndescription: x") }, key: "agent:r", at: "2:7", status: { "claude-code": "failed" } },
  { rule: "agent/description-required", files: { ".claude/agents/r.md": fm("name: r") }, key: "agent:r", at: "1:1", status: { "claude-code": "failed" } },
  { rule: "layout/deprecated", files: { ".claude/commands/deploy/deploy.md": fm("description: x") }, key: "command:deploy", at: "1:1", status: { "claude-code": "success" } },
  { rule: "hook/structure", files: { "hooks/hooks.json": '{\n  "PreToolUse": [],\n  "hooks": {}\n}' }, key: "hook:project", at: "2:3", status: { "claude-code": "failed" } },
  { rule: "hook/guarding-entries", files: { "hooks/hooks.json": '{"hooks": {\n  "PreToolUse": [{"hooks": [\n    {"type": "command"}]}]}}' }, key: "hook:project", at: "3:6", status: { "claude-code": "failed" } },
  { rule: "hook/ignored-entries", files: { "hooks/hooks.json": '{"hooks": {\n  "Stop": [{"hooks": [\n    {"type": "command"}]}]}}' }, key: "hook:project", at: "3:6", status: { "claude-code": "success" } },
  { rule: "hook/unknown-event", files: { "hooks/hooks.json": '{"hooks": {\n  "pretooluse": []}}' }, key: "hook:project", at: "2:3", status: { "claude-code": "success" } },
  { rule: "mcp/servers", files: { ".mcp.json": '{"mcpServers": {\n  "s": {"args": "a b", "command": "x"}}}' }, key: "mcp:project", at: "2:17", status: { "claude-code": "failed" } },
  { rule: "hook/command-exists", files: { "hooks/hooks.json": '{"hooks": {\n  "Stop": [{"hooks": [\n    {"type": "command", "command": "${CLAUDE_PROJECT_DIR}/stop.sh"}]}]}}' }, key: "hook:project", at: "3:36", status: { "claude-code": "failed", agentskills: "failed" } },
  { rule: "mcp/command-exists", files: { ".mcp.json": '{"mcpServers": {\n  "s": {"command": "node", "args": ["./server.js"]}}}' }, key: "mcp:project", at: "2:37", status: { "claude-code": "failed", agentskills: "failed" } },
  { rule: "hook/structure", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "hooks": {\n    "hooks": {"PreToolUse": []}}\n}' }, key: "plugin:p", at: "4:5", status: { "claude-code": "failed" } },
  { rule: "hook/guarding-entries", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "hooks": {"PreToolUse": [{"hooks": [\n    {"type": "command"}]}]}\n}' }, key: "plugin:p", at: "4:6", status: { "claude-code": "failed" } },
  { rule: "hook/ignored-entries", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "hooks": [{"Stop": [{"hooks": [\n    {"type": "command"}]}]}]\n}' }, key: "plugin:p", at: "4:6", status: { "claude-code": "success" } },
  { rule: "hook/unknown-event", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "hooks": {\n    "Foo": []}\n}' }, key: "plugin:p", at: "4:5", status: { "claude-code": "success" } },
  { rule: "mcp/servers", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "mcpServers": {\n    "s": {"url": "https://x.y/mcp"}}\n}' }, key: "plugin:p", at: "4:11", status: { "claude-code": "failed" } },
  { rule: "mcp/servers", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "mcpServers": [{\n    "s": {"type": "websocket", "url": "x"}}]\n}' }, key: "plugin:p", at: "4:19", status: { "claude-code": "failed" } },
  { rule: "plugin/name", files: { "p/.claude-plugin/plugin.json": '{\n  "name": ""\n}' }, key: "plugin:p", at: "2:11", status: { "claude-code": "failed" } },
  { rule: "plugin/name-kebab-case", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "My_Plugin"\n}' }, key: "plugin:p", at: "2:11", status: { "claude-code": "success" } },
  { rule: "plugin/reserved-name", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "Claude_Helper"\n}' }, key: "plugin:p", at: "2:11", status: { "claude-code": "failed" } },
  { rule: "plugin/field-types", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "keywords": "a,b"\n}' }, key: "plugin:p", at: "3:15", status: { "claude-code": "failed" } },
  { rule: "plugin/component-paths", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "agents": "./agents"\n}' }, key: "plugin:p", at: "3:13", status: { "claude-code": "failed" } },
  { rule: "plugin/component-exists", files: { "p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "commands": ["./nope.md"]\n}' }, key: "plugin:p", at: "3:16", status: { "claude-code": "failed" } },
  { rule: "marketplace/structure", files: { ".claude-plugin/marketplace.json": '{\n  "name": "m",\n  "plugins": []\n}' }, key: "marketplace:repo", at: "1:1", status: { "claude-code": "failed" } },
  { rule: "marketplace/reserved-name", files: { ".claude-plugin/marketplace.json": market([], { name: "official-claude-tools" }) }, key: "marketplace:repo", at: "2:11", status: { "claude-code": "failed" } },
  { rule: "marketplace/source", files: { ".claude-plugin/marketplace.json": market([{ name: "a", source: { source: "github", repo: "o/a", sha: "abc" } }]) }, key: "marketplace:repo", at: "12:16", status: { "claude-code": "failed" } },
  { rule: "marketplace/entry-fields", files: { ".claude-plugin/marketplace.json": market([{ name: "a", source: { source: "github", repo: "o/a" }, version: 1 }]) }, key: "marketplace:repo", at: "13:18", status: { "claude-code": "failed" } },
  { rule: "marketplace/local-source-exists", files: { ".claude-plugin/marketplace.json": market([{ name: "a", source: "./plugins/a" }]) }, key: "marketplace:repo", at: "9:17", status: { "claude-code": "success", agentskills: "failed" } },
  { rule: "file/no-bom", files: { ".mcp.json": '\ufeff{"mcpServers": {}}' }, key: "mcp:project", at: "1:1", status: { "claude-code": "failed" } },
];

describe("each rule's verdict and the position of its finding", () => {
  it.each(CASES.map((c) => [c.rule, c] as const))("%s", async (_rule, c) => {
    for (const [profile, status] of Object.entries(c.status) as [Profile, string][]) {
      const artifact = byKey(await scanTree(c.files, { profile }), c.key);
      const finding = artifact.findings.find((f) => f.rule === c.rule);
      expect(finding, `${profile}: ${JSON.stringify(artifact.findings)}`).toBeDefined();
      expect(`${finding?.line}:${finding?.column}`, `${profile}: ${finding?.message}`).toBe(c.at);
      expect(artifact.status, `${profile}: ${JSON.stringify(artifact.findings.map((f) => f.message))}`).toBe(status);
    }
  });

  it("warns about a subagent's skills that do not exist, given the scan's artifacts", async () => {
    const { runRules } = await import("../../src/rules/run.js");
    const { RULES } = await import("../../src/rules/registry.js");
    const { parseMarkdown } = await import("../../src/parse/markdown.js");
    const text = fm("name: r\ndescription: x\nskills: [pdf-tool, pdf]");
    const artifact = { key: "agent:r", type: "agent" as const, name: "r", path: ".claude/agents/r.md", manifest: ".claude/agents/r.md", files: [".claude/agents/r.md"], plugin: null };
    const skillArtifact = { key: "skill:pdf", type: "skill" as const, name: "pdf", path: "skills/pdf", manifest: "skills/pdf/SKILL.md", files: [], plugin: null };
    const { findings } = runRules(
      { artifact, load: { kind: "text", problems: [], parsed: parseMarkdown(text) } },
      "claude-code",
      RULES,
      { has: () => true, hasFolder: () => true },
      { artifacts: [artifact, skillArtifact], parsed: () => null, verdict: () => null, pluginAt: () => undefined, byPlugin: new Map() },
    );
    expect(findings.filter((f) => f.rule === "agent/skills-exist")).toEqual([expect.objectContaining({ severity: "warning", line: 4, column: 9, message: expect.stringContaining('"pdf-tool"') })]);
  });

  it("reports a dependency cycle among a marketplace's plugins once, with the whole cycle", async () => {
    const report = await scanTree({
      ".claude-plugin/marketplace.json": market([
        { name: "a", source: "./plugins/a", dependencies: ["b"] },
        { name: "b", source: "./plugins/b" },
        { name: "c", source: "./plugins/c", dependencies: ["a"] },
      ]),
      "plugins/a/.claude-plugin/plugin.json": pluginJson("a"),
      "plugins/b/.claude-plugin/plugin.json": JSON.stringify({ name: "b", dependencies: ["c"] }),
      "plugins/c/.claude-plugin/plugin.json": pluginJson("c"),
    });
    const cycles = byKey(report, "marketplace:repo").findings.filter((f) => f.rule === "marketplace/dependency-cycle");
    // b's dependency on c is only in its plugin.json, read through the scan scope: the cycle needs both.
    expect(cycles.map((f) => f.message)).toEqual([expect.stringContaining("a → b → c → a")]);
  });
});

describe("findings a hostile file can cause", () => {
  it("lists at most 200 findings of one rule on one artifact, and counts the rest in one more", async () => {
    const fields = Array.from({ length: 1500 }, (_, i) => `x${i}: [a, b]`).join("\n");
    const report = await scanTree({ "skills/a/SKILL.md": `---\nname: a\ndescription: d\n${fields}\n---\nBody.\n` }, { profile: "agentskills" });
    const strict = byKey(report, "skill:a").findings.filter((f) => f.rule === "skill/strict-yaml");
    expect(strict).toHaveLength(201);
    expect(strict[200]?.message).toBe("…and 1300 more findings of skill/strict-yaml in this artifact, not listed; fix the ones above and scan again.");
  });
});

describe("skill/name-matches-directory compares names as the reference validator does, NFKC-normalised", () => {
  // skills-ref (agentskills/agentskills) accepts the first two and refuses the third.
  const tree: Tree = {
    "skills/café/SKILL.md": fm("name: cafe\u0301\ndescription: x"),
    "skills/pdf/SKILL.md": fm("name: \uff50\uff44\uff46\ndescription: x"),
    "skills/tool/SKILL.md": fm("name: tools\ndescription: x"),
  };
  it.each([
    ["a decomposed accent against a composed folder name", "skill:café", []],
    ["full-width letters against an ASCII folder name", "skill:pdf", []],
    ["an ASCII name that differs", "skill:tool", ["skill/name-matches-directory"]],
  ])("%s", async (_what, key, rules) => {
    const artifact = byKey(await scanTree(tree, { profile: "agentskills" }), key);
    expect(artifact.findings.filter((f) => f.rule === "skill/name-matches-directory").map((f) => f.rule)).toEqual(rules);
  });
});
