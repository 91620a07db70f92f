import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model.js";
import { agent, byKey, pluginJson, scanTree, skill } from "../helpers/repo.js";

const at = (f: Finding | undefined) => (f ? `${f.file}:${f.line}:${f.column}` : "none");
const firstError = (findings: Finding[]) => findings.find((f) => f.severity === "error");

describe("failed artifacts, each with its reason and the position of the fault", () => {
  it("fails invalid JSON with json_parse_error at the offending character", async () => {
    const report = await scanTree({
      "plugins/p/.claude-plugin/plugin.json": '{\n  "name": "p",\n  "version": "1.0.0",\n}\n',
    });
    const plugin = byKey(report, "plugin:p");
    expect(plugin.status).toBe("failed");
    expect(plugin.reason?.code).toBe("json_parse_error");
    expect(at(firstError(plugin.findings))).toBe("plugins/p/.claude-plugin/plugin.json:4:1");
    expect(plugin.reason?.message).toMatch(/trailing comma/);
  });

  it("fails frontmatter that is not valid YAML with yaml_parse_error under agentskills, at the line in the file", async () => {
    const report = await scanTree({ ".claude/agents/broken.md": "---\nname: broken\ndescription: [unclosed\n---\nbody\n" }, { profile: "agentskills" });
    const broken = byKey(report, "agent:broken");
    expect(broken.status).toBe("failed");
    expect(broken.reason?.code).toBe("yaml_parse_error");
    expect(firstError(broken.findings)).toMatchObject({ rule: "frontmatter/yaml", file: ".claude/agents/broken.md" });
    expect(firstError(broken.findings)?.line).toBeGreaterThanOrEqual(3);
  });

  it("warns under claude-code about frontmatter that is not valid YAML but whose lines Claude Code still reads", async () => {
    const text = "---\nname: code-reviewer\ndescription: Use this agent after writing code. Examples: <example>Context: a PR</example>\nmodel: sonnet\n---\nYou review code.\n";
    const report = await scanTree({ ".claude/agents/code-reviewer.md": text });
    const reviewer = byKey(report, "agent:code-reviewer");
    expect(reviewer.status).toBe("success");
    expect(reviewer.findings).toEqual([expect.objectContaining({ rule: "frontmatter/yaml", severity: "warning", line: 3 })]);
  });

  it("fails under claude-code a project subagent whose lines hold no description either", async () => {
    const report = await scanTree({ ".claude/agents/bare.md": "---\nname: bare\ntools: [Read\n---\nbody\n" });
    expect(byKey(report, "agent:bare")).toMatchObject({ status: "failed", reason: { code: "missing_metadata" } });
  });

  it("fails a project subagent with unclosed frontmatter: Claude Code reads it as having none, so no name", async () => {
    const report = await scanTree({ ".claude/agents/open.md": "---\nname: open\ndescription: x\n\nbody with no closing line\n" });
    expect(byKey(report, "agent:open").reason).toMatchObject({ code: "missing_metadata" });
    expect(byKey(report, "agent:open").findings[0]?.message).toMatch(/never closed/);
  });

  it("fails frontmatter that is not a mapping with invalid_structure", async () => {
    const report = await scanTree({ ".claude/agents/list.md": "---\n- a\n- b\n---\nbody\n" });
    expect(byKey(report, "agent:list").reason?.code).toBe("invalid_structure");
    expect(at(byKey(report, "agent:list").findings[0])).toBe(".claude/agents/list.md:2:1");
  });

  it("fails a project subagent without description with missing_metadata at the frontmatter", async () => {
    const report = await scanTree({ ".claude/agents/quiet.md": "---\nname: quiet\n---\nbody\n" });
    const quiet = byKey(report, "agent:quiet");
    expect(quiet.reason?.code).toBe("missing_metadata");
    expect(quiet.reason?.message).toMatch(/no `description`/);
  });

  it("fails a file without frontmatter where it is required", async () => {
    const report = await scanTree({ ".claude/agents/plain.md": "You are plain.\n" });
    expect(byKey(report, "agent:plain").reason?.code).toBe("missing_metadata");
    expect(at(byKey(report, "agent:plain").findings[0])).toBe(".claude/agents/plain.md:1:1");
  });

  it("points a skill's name mismatch at the value, as an error under agentskills and a warning under claude-code", async () => {
    const files = { "skills/pdf/SKILL.md": "---\nname: pdf-tools\ndescription: Works with PDFs.\n---\nbody\n" };
    const strict = byKey(await scanTree(files, { profile: "agentskills" }), "skill:pdf");
    expect(strict.status).toBe("failed");
    expect(strict.reason?.code).toBe("invalid_field");
    expect(strict.findings[0]).toMatchObject({ rule: "skill/name-matches-directory", line: 2, column: 7, endLine: 2, endColumn: 16 });
    const lenient = byKey(await scanTree(files), "skill:pdf");
    expect(lenient.status).toBe("success");
    expect(lenient.findings[0]).toMatchObject({ severity: "warning", line: 2, column: 7 });
  });

  it("fails a skill without name under agentskills with missing_metadata", async () => {
    const report = await scanTree({ "skills/x/SKILL.md": "---\ndescription: Something.\n---\n" }, { profile: "agentskills" });
    expect(byKey(report, "skill:x").reason?.code).toBe("missing_metadata");
  });

  it("fails a plugin name with white space with invalid_field at the value", async () => {
    const report = await scanTree({ "plugins/p/.claude-plugin/plugin.json": '{\n  "name": "My Plugin"\n}\n' });
    const plugin = byKey(report, "plugin:p");
    expect(plugin.reason?.code).toBe("invalid_field");
    expect(plugin.findings[0]).toMatchObject({ line: 2, column: 11, endLine: 2, endColumn: 22 });
  });

  it("fails hooks declared outside the hooks object, and a command hook without command, with invalid_structure", async () => {
    const report = await scanTree({
      "plugins/p/.claude-plugin/plugin.json": pluginJson("p"),
      "plugins/p/hooks/hooks.json": '{\n  "PreToolUse": []\n}\n',
      "plugins/q/.claude-plugin/plugin.json": pluginJson("q"),
      "plugins/q/hooks/hooks.json": '{\n  "hooks": {\n    "Stop": [\n      { "hooks": [ { "type": "command" } ] }\n    ]\n  }\n}\n',
    });
    expect(byKey(report, "hook:p").reason?.code).toBe("invalid_structure");
    expect(at(byKey(report, "hook:p").findings[0])).toBe("plugins/p/hooks/hooks.json:2:3");
    expect(byKey(report, "hook:q").findings[0]).toMatchObject({ line: 4, message: expect.stringMatching(/no `command`/) });
  });

  it("fails an MCP server with a url but no type", async () => {
    const report = await scanTree({ ".mcp.json": '{\n  "mcpServers": {\n    "docs": { "url": "https://x.test/mcp" }\n  }\n}\n' });
    expect(byKey(report, "mcp:project").reason?.code).toBe("invalid_structure");
    expect(byKey(report, "mcp:project").findings[0]).toMatchObject({ line: 3, column: 15 });
  });

  it("fails under agentskills a marketplace that lists a missing plugin folder, with broken_reference at the source; warns under claude-code, whose validator accepts it", async () => {
    const files = {
      ".claude-plugin/marketplace.json": '{\n  "name": "m",\n  "owner": { "name": "o" },\n  "plugins": [\n    { "name": "gone", "source": "./plugins/gone" }\n  ]\n}\n',
    };
    const market = byKey(await scanTree(files, { profile: "agentskills" }), "marketplace:repo");
    expect(market.reason?.code).toBe("broken_reference");
    expect(market.findings[0]).toMatchObject({ line: 5, column: 33 });
    const lenient = byKey(await scanTree(files), "marketplace:repo");
    expect(lenient.status).toBe("success");
    expect(lenient.findings[0]).toMatchObject({ rule: "marketplace/local-source-exists", severity: "warning", line: 5, column: 33 });
  });

  it("fails a marketplace without owner and with a duplicate plugin name, reported on each copy as Claude Code does", async () => {
    const report = await scanTree({
      ".claude-plugin/marketplace.json": JSON.stringify({ name: "m", plugins: [{ name: "a", source: { source: "github", repo: "o/a" } }, { name: "a", source: { source: "github", repo: "o/b" } }] }),
    });
    const messages = byKey(report, "marketplace:repo").findings.map((f) => f.message);
    expect(messages).toEqual([expect.stringMatching(/owner/), expect.stringMatching(/listed 2 times/), expect.stringMatching(/listed 2 times/)]);
  });

  it("fails a manifest over 1 MiB with too_large without reading it", async () => {
    const big = JSON.stringify({ name: "big", description: "x".repeat(1024 * 1024) });
    const report = await scanTree({ "plugins/big/.claude-plugin/plugin.json": big });
    expect(byKey(report, "plugin:big").reason?.code).toBe("too_large");
    expect(report.metrics.bytesRead).toBe(0);
  });

  it("fails a dangling symlink with io_error", async () => {
    const report = await scanTree({ ".claude/commands/ghost.md": { symlink: "../../nowhere.md" } });
    expect(byKey(report, "command:ghost").reason?.code).toBe("io_error");
    expect(byKey(report, "command:ghost").reason?.message).toMatch(/cannot be read/);
  });

  it("fails empty, binary and non-UTF-8 files, each with one clear finding", async () => {
    const report = await scanTree({
      ".claude/agents/empty.md": "",
      ".claude/agents/binary.md": new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]),
      ".claude/agents/latin1.md": new Uint8Array([...Buffer.from("---\nname: caf"), 0xe9, ...Buffer.from("\n---\n")]),
    });
    // An empty project subagent has no name either, which is why Claude Code skips it.
    expect(byKey(report, "agent:empty").findings.map((f) => f.rule)).toEqual(["file/not-empty", "agent/name-required"]);
    expect(byKey(report, "agent:binary").findings.map((f) => f.rule)).toEqual(["file/text"]);
    expect(byKey(report, "agent:binary").reason?.message).toMatch(/binary/);
    const latin1 = byKey(report, "agent:latin1");
    expect(latin1.findings.map((f) => f.rule)).toEqual(["file/text"]);
    expect(at(latin1.findings[0])).toBe(".claude/agents/latin1.md:2:10");
  });

  it("fails a hooks file with a byte order mark, which Claude Code refuses there, and still reports what else is wrong", async () => {
    const report = await scanTree({
      "plugins/p/.claude-plugin/plugin.json": `\ufeff${JSON.stringify({ version: "1" })}`,
      "plugins/p/hooks/hooks.json": `\ufeff${JSON.stringify({ Stop: [] })}`,
    });
    expect(byKey(report, "hook:p").findings.map((f) => f.rule)).toEqual(["file/no-bom", "hook/structure"]);
    expect(byKey(report, "hook:p").reason?.code).toBe("invalid_structure");
    // Claude Code strips a BOM from plugin.json: a warning there, and the missing name is the error.
    expect(byKey(report, "plugin:p").findings.map((f) => [f.rule, f.severity])).toEqual([["file/no-bom", "warning"], ["plugin/name", "error"]]);
  });

  it("notes CRLF line endings at the first such line, without failing: both references read them", async () => {
    const report = await scanTree({ ".claude/agents/win.md": agent("win").replace(/\n/g, "\r\n") });
    const win = byKey(report, "agent:win");
    expect(win.status).toBe("success");
    expect(win.findings.map((f) => [f.rule, f.severity])).toEqual([["file/line-endings", "notice"]]);
    expect(at(win.findings[0])).toBe(".claude/agents/win.md:1:4");
  });

  it("fails only the broken artifact: everything else is imported", async () => {
    const report = await scanTree({
      "skills/good/SKILL.md": skill("good"),
      ".claude/agents/bad.md": "---\n: :\n---\n",
      "plugins/p/.claude-plugin/plugin.json": "{",
      ".claude/agents/fine.md": agent("fine"),
    });
    expect(report.totals).toEqual({ discovered: 4, success: 2, skipped: 0, failed: 2 });
  });

  it("gives every failed artifact an error finding with a file and a line", async () => {
    const report = await scanTree({
      "a/.claude-plugin/plugin.json": "[]",
      ".claude/agents/x.md": "---\nname: x\n---\n",
      ".mcp.json": '{"mcpServers": 3}',
      "hooks/hooks.json": '{"hooks": {"PreToolUse": {}}}',
    });
    for (const a of report.artifacts.filter((r) => r.status === "failed")) {
      const error = firstError(a.findings);
      expect(error?.file, a.key).toBeTruthy();
      expect(error?.line, a.key).toBeGreaterThan(0);
    }
    expect(report.totals.failed).toBe(4);
  });
});

describe("layouts seen in public plugin repositories", () => {
  it("accepts a plugin's .mcp.json with its servers at the top level, without the mcpServers wrapper", async () => {
    const report = await scanTree({
      "plugins/gh/.claude-plugin/plugin.json": pluginJson("gh"),
      "plugins/gh/.mcp.json": '{\n  "github": { "type": "http", "url": "https://api.example.com/mcp" },\n  "local": { "url": "https://x" }\n}\n',
    });
    const mcp = byKey(report, "mcp:gh");
    expect(mcp.status).toBe("failed");
    expect(mcp.findings).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/"local" has a `url` but no `type`/) })]);
  });

  it("does not turn the repository root into a plugin when a marketplace lists `./` as a source", async () => {
    const report = await scanTree({
      ".claude-plugin/marketplace.json": JSON.stringify({ name: "m", owner: { name: "o" }, plugins: [{ name: "docs", source: "./", strict: false }] }),
      "skills/xlsx/SKILL.md": skill("xlsx"),
    });
    expect(report.artifacts.map((a) => `${a.key}=${a.status}`)).toEqual(["marketplace:repo=success", "skill:xlsx=success"]);
  });
});
