import { describe, expect, it } from "vitest";
import { agent, byKey, command, keys, pluginJson, scanTree, skill } from "../helpers/repo.js";

const fm = (lines: string): string => `---\n${lines}\n---\nBody.\n`;
const market = (name: string, plugins: unknown[]): string => JSON.stringify({ name, owner: { name: "o" }, plugins }, null, 2);

describe("what Claude Code loads from a plugin", () => {
  it("indexes every agent a plugin.json lists by path, beside the default folder", async () => {
    const report = await scanTree({
      "categories/core/.claude-plugin/plugin.json": JSON.stringify({ name: "core-dev", agents: ["./api-designer.md", "./nested/reviewer.md"] }),
      "categories/core/api-designer.md": agent("api-designer"),
      "categories/core/nested/reviewer.md": agent("reviewer"),
      "categories/core/README.md": "# Core agents",
      "categories/core/notes.md": "Not listed, so not loaded.",
    });
    expect(keys(report)).toEqual(["agent:core/api-designer", "agent:core/reviewer", "plugin:core"]);
    expect(byKey(report, "agent:core/api-designer")).toMatchObject({ path: "categories/core/api-designer.md", status: "success" });
  });

  it("indexes commands, skills and output styles that plugin.json names as files or folders", async () => {
    const report = await scanTree({
      "p/.claude-plugin/plugin.json": JSON.stringify({ name: "p", commands: "./extra/", skills: ["./more/pdf", "./bundle"], outputStyles: "./styles/terse.md" }),
      "p/extra/deploy.md": command("Deploy"),
      "p/more/pdf/SKILL.md": skill("pdf"),
      "p/bundle/one/SKILL.md": skill("one"),
      "p/bundle/two/SKILL.md": skill("two"),
      "p/styles/terse.md": fm("name: terse\ndescription: Short"),
    });
    expect(keys(report)).toEqual(["command:p/deploy", "output-style:p/terse", "plugin:p", "skill:p/one", "skill:p/pdf", "skill:p/two"]);
  });

  it("indexes the newer component types from a plugin's default places", async () => {
    const report = await scanTree({
      "p/.claude-plugin/plugin.json": pluginJson("p"),
      "p/.lsp.json": JSON.stringify({ go: { command: "gopls", extensionToLanguage: { ".go": "go" } } }),
      "p/output-styles/terse.md": fm("name: terse\ndescription: Short"),
      "p/monitors/monitors.json": JSON.stringify([{ name: "log", command: "tail -f x.log", description: "Watches the log." }]),
      "p/themes/dark.json": JSON.stringify({ name: "dark", base: "dark" }),
      "p/workflows/release.js": "export default async function release() {}\n",
      "p/workflows/notes.md": "Not a workflow.",
      "p/bin/tool": "#!/bin/sh\n",
    });
    expect(keys(report)).toEqual(["bin:p/tool", "lsp:p", "monitor:p", "output-style:p/terse", "plugin:p", "theme:p/dark", "workflow:p/release"]);
    expect(report.byType["output-style"]).toEqual({ discovered: 1, success: 1, skipped: 0, failed: 0 });
  });

  it("indexes the LSP servers a strict: false marketplace entry defines for its plugin, and judges them where they stand", async () => {
    const entries = [
      { name: "gopls-lsp", source: "./plugins/gopls-lsp", strict: false, lspServers: { gopls: { command: "gopls", extensionToLanguage: { ".go": "go" } } } },
      { name: "lua-lsp", source: "./plugins/lua-lsp", strict: false, lspServers: { lua: { command: "lua-language-server" } } },
    ];
    const report = await scanTree({
      ".claude-plugin/marketplace.json": market("acme", entries),
      "plugins/gopls-lsp/README.md": "# gopls",
      "plugins/lua-lsp/README.md": "# lua",
    });
    expect(keys(report)).toEqual(["lsp:gopls-lsp", "lsp:lua-lsp", "marketplace:repo", "plugin:gopls-lsp", "plugin:lua-lsp"]);
    expect(byKey(report, "lsp:gopls-lsp")).toMatchObject({ status: "success", files: [".claude-plugin/marketplace.json"] });
    const lua = byKey(report, "lsp:lua-lsp");
    expect(lua).toMatchObject({ status: "failed", reason: { code: "invalid_structure" } });
    expect(lua.findings).toEqual([expect.objectContaining({ rule: "lsp/servers", file: ".claude-plugin/marketplace.json", line: 25, column: 9, message: 'The LSP server "lua" has no `extensionToLanguage`; Claude Code\'s loader refuses it.' })]);
  });

  it("reports a broken file of a newer type on its own artifact", async () => {
    const report = await scanTree({ "p/.claude-plugin/plugin.json": pluginJson("p"), "p/themes/dark.json": "{\"name\": \"dark\",}" });
    expect(byKey(report, "theme:p/dark")).toMatchObject({ status: "failed", reason: { code: "json_parse_error" } });
    expect(byKey(report, "plugin:p").status).toBe("success");
  });

  it("does not take files in a plugin outside the places Claude Code loads for components", async () => {
    const report = await scanTree({
      "p/.claude-plugin/plugin.json": pluginJson("p"),
      "p/commands/go.md": command("Go"),
      "p/docs/commands/example.md": command("An example in the docs"),
      "p/templates/agents/sample.md": agent("sample"),
    });
    expect(keys(report)).toEqual(["command:p/go", "plugin:p"]);
  });

  it("keeps a plugin's commands when its folder is also a skill's", async () => {
    const report = await scanTree({
      "p/.claude-plugin/plugin.json": pluginJson("p"),
      "p/SKILL.md": skill("p"),
      "p/commands/reflect.md": command("Reflect"),
    });
    expect(keys(report)).toContain("command:p/reflect");
  });
});

describe("the project's .claude/ folder", () => {
  it("is the project's scope in a repository whose root is a plugin, judged as Claude Code judges project subagents", async () => {
    const report = await scanTree({
      ".claude-plugin/plugin.json": pluginJson("tools"),
      "agents/helper.md": fm("description: A plugin agent without a name loads under its file name"),
      ".claude/agents/nameless.md": fm("description: A project agent without a name"),
      ".claude/commands/release.md": command("Release"),
      ".claude/skills/notes/SKILL.md": skill("notes"),
      ".claude/settings.json": JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "echo done" }] }] } }),
      ".mcp.json": JSON.stringify({ mcpServers: { files: { command: "npx", args: ["files-mcp"] } } }),
    });
    // The root's .mcp.json is the root plugin's MCP file, as Claude Code's loader reads it.
    expect(keys(report)).toEqual(["agent:nameless", "agent:repo/helper", "command:release", "hook:project", "mcp:repo", "plugin:repo", "skill:notes"]);
    expect(byKey(report, "agent:repo/helper").status).toBe("success");
    expect(byKey(report, "agent:nameless")).toMatchObject({ status: "failed", reason: { code: "missing_metadata" } });
  });
});

describe("copies of one key", () => {
  const backup = "backups/2025-11-08/plugins/tools";
  const listed = {
    ".claude-plugin/marketplace.json": market("acme", [{ name: "tools", source: "./plugins/tools" }]),
    "plugins/tools/.claude-plugin/plugin.json": pluginJson("tools"),
    "plugins/tools/skills/pdf/SKILL.md": skill("pdf"),
    [`${backup}/.claude-plugin/plugin.json`]: pluginJson("tools"),
  };

  it("keeps the key on the copy a marketplace lists, though a backup comes first in path order, and names both paths", async () => {
    const report = await scanTree({ ...listed, [`${backup}/skills/pdf/SKILL.md`]: skill("pdf") });
    const copies = report.artifacts.filter((a) => a.key === "skill:tools/pdf");
    expect(copies.map((a) => [a.path, a.status])).toEqual([
      [`${backup}/skills/pdf`, "skipped"],
      ["plugins/tools/skills/pdf", "success"],
    ]);
    expect(copies[0]?.reason).toMatchObject({ code: "duplicate", duplicateOf: "plugins/tools/skills/pdf" });
    expect(copies[0]?.reason?.message).toBe(`The key skill:tools/pdf is held by the copy at plugins/tools/skills/pdf; this valid copy at ${backup}/skills/pdf is not indexed.`);
  });

  it("validates every copy: a broken copy is failed, not skipped", async () => {
    const report = await scanTree({ ...listed, [`${backup}/hooks/hooks.json`]: '{"PreToolUse": []}', "plugins/tools/hooks/hooks.json": JSON.stringify({ hooks: {} }) });
    const copies = report.artifacts.filter((a) => a.key === "hook:tools");
    expect(copies.map((a) => [a.path, a.status, a.reason?.code ?? null])).toEqual([
      [`${backup}/hooks/hooks.json`, "failed", "invalid_structure"],
      ["plugins/tools/hooks/hooks.json", "success", null],
    ]);
  });

  it("prefers a copy inside a plugin to a loose one, then the shallowest path", async () => {
    const report = await scanTree({
      "deep/er/commands/ship.md": command("Ship"),
      "x/commands/ship.md": command("Ship"),
      "a/b/c/plugins/kit/.claude-plugin/plugin.json": pluginJson("kit"),
    });
    const ship = report.artifacts.filter((a) => a.key === "command:ship");
    expect(ship.map((a) => [a.path, a.status])).toEqual([
      ["deep/er/commands/ship.md", "skipped"],
      ["x/commands/ship.md", "success"],
    ]);
  });
});

describe("reserved plugin names in Anthropic's own marketplaces", () => {
  const repository = (marketplace: string) => ({
    ".claude-plugin/marketplace.json": market(marketplace, [{ name: "claude-code-setup", source: "./plugins/claude-code-setup" }]),
    "plugins/claude-code-setup/.claude-plugin/plugin.json": pluginJson("claude-code-setup"),
  });

  it.each(["claude-plugins-official", "claude-code-plugins", "anthropic-agent-skills"])("accepts a claude- plugin listed by %s, in the marketplace and in the plugin", async (name) => {
    const report = await scanTree(repository(name));
    expect(byKey(report, "marketplace:repo").status).toBe("success");
    expect(byKey(report, "plugin:claude-code-setup").status).toBe("success");
  });

  it("refuses the same plugin listed by any other marketplace, as Claude Code does", async () => {
    const report = await scanTree(repository("acme-tools"));
    expect(byKey(report, "marketplace:repo")).toMatchObject({ status: "failed", reason: { code: "invalid_field" } });
    expect(byKey(report, "marketplace:repo").findings[0]).toMatchObject({ rule: "marketplace/reserved-name", line: 8 });
    expect(byKey(report, "plugin:claude-code-setup").findings[0]).toMatchObject({ rule: "plugin/reserved-name", severity: "error" });
  });
});

describe("a marketplace judged by the plugins it lists", () => {
  const listing = (plugin: Record<string, string>) => ({
    ".claude-plugin/marketplace.json": market("acme", [{ name: "ok", source: "./plugins/ok" }, { name: "review", source: "./plugins/review" }]),
    "plugins/ok/.claude-plugin/plugin.json": pluginJson("ok"),
    ...Object.fromEntries(Object.entries(plugin).map(([path, text]) => [`plugins/review/${path}`, text])),
  });

  it("fails the marketplace, at the entry, when a listed plugin's plugin.json has an error, which the plugin reports too", async () => {
    const report = await scanTree(listing({ ".claude-plugin/plugin.json": '{\n  "name": "review",\n  "agents": "./agents/"\n}\n', "agents/r.md": agent("r") }));
    const marketplace = byKey(report, "marketplace:repo");
    expect(marketplace).toMatchObject({ status: "failed", reason: { code: "invalid_field" } });
    expect(marketplace.findings).toEqual([
      expect.objectContaining({ rule: "marketplace/listed-plugins", line: 13, column: 17, message: expect.stringContaining('The plugin "review" listed here has an error Claude Code refuses this marketplace for, at plugins/review/.claude-plugin/plugin.json:3:13:') }),
    ]);
    expect(byKey(report, "plugin:review")).toMatchObject({ status: "failed", reason: { code: "invalid_field" } });
    expect(byKey(report, "plugin:ok").status).toBe("success");
  });

  it("fails it for a listed plugin's hooks file Claude Code cannot read, not for a hook whose script is missing", async () => {
    const broken = await scanTree(listing({ ".claude-plugin/plugin.json": pluginJson("review"), "hooks/hooks.json": '{"hooks": {},}' }));
    expect(byKey(broken, "marketplace:repo")).toMatchObject({ status: "failed", reason: { code: "json_parse_error" } });
    const missingScript = await scanTree(listing({ ".claude-plugin/plugin.json": pluginJson("review"), "hooks/hooks.json": JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "${CLAUDE_PLUGIN_ROOT}/gone.sh" }] }] } }) }));
    expect(byKey(missingScript, "hook:review")).toMatchObject({ status: "failed", reason: { code: "broken_reference" } });
    expect(byKey(missingScript, "marketplace:repo").status).toBe("success");
  });

  it("does not fail it for a listed plugin's agents or skills, which Claude Code does not read for the marketplace", async () => {
    const report = await scanTree(listing({ ".claude-plugin/plugin.json": pluginJson("review"), "agents/r.md": "---\nname: r\ndescription: \"open\n---\n" }));
    expect(byKey(report, "agent:review/r").status).toBe("failed");
    expect(byKey(report, "marketplace:repo").status).toBe("success");
  });
});

describe("hooks modules and workflows, read as Claude Code reads them", () => {
  const plugin = (files: Record<string, string>) => ({
    ".claude-plugin/marketplace.json": market("acme", [{ name: "p", source: "./p" }]),
    "p/.claude-plugin/plugin.json": pluginJson("p"),
    ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`p/${path}`, text])),
  });

  it("fails a hooks file naming a module that is not there, and the marketplace listing its plugin", async () => {
    const report = await scanTree(plugin({ "hooks/hooks.json": '{\n  "modules": ["./missing.js"]\n}\n' }));
    expect(byKey(report, "hook:p")).toMatchObject({ status: "failed", reason: { code: "invalid_structure" } });
    expect(byKey(report, "hook:p").findings[0]).toMatchObject({ rule: "hook/modules-exist", line: 2, column: 15 });
    expect(byKey(report, "marketplace:repo").status).toBe("failed");
  });

  it("fails a module without a register export, a commented-out one included, and the marketplace with it", async () => {
    for (const text of ["export function other() {}\n", "// export function register(on) {}\n", "/* export { register } */\n"]) {
      const report = await scanTree(plugin({ "hooks/hooks.json": '{"modules": ["./r.js"]}', "hooks/r.js": text }));
      expect(byKey(report, "module:p/hooks/r.js"), text).toMatchObject({ status: "failed", findings: [expect.objectContaining({ rule: "module/register" })] });
      expect(byKey(report, "marketplace:repo").status).toBe("failed");
    }
    const listed = await scanTree(plugin({ "hooks/hooks.json": '{"modules": ["./r.js"]}', "hooks/r.js": "function register(on) {}\nexport { helper, register as register };\n" }));
    expect(byKey(listed, "module:p/hooks/r.js").status).toBe("success");
  });

  it("reads a hostile module in time linear in its size", async () => {
    const report = await scanTree(plugin({ "hooks/hooks.json": '{"modules": ["./r.js"]}', "hooks/r.js": `${"export {".repeat(100_000)}}` }));
    expect(byKey(report, "module:p/hooks/r.js").status).toBe("failed");
  });

  it("fails a workflow whose meta Claude Code cannot read: commented out, empty, or not a string", async () => {
    const cases = {
      "a.js": "// export const meta = { name: 'a', description: 'b' };\n",
      "b.js": "export const meta = { name: '', description: 'b' };\n",
      "c.js": "const n = 'c';\nexport const meta = { name: n, description: 'b' };\n",
      "d.js": 'export const meta = { title: "name: d", description: "b" };\n',
      "ok.js": "export const meta = {\n  name: `ok`, // the name\n  description: \"Cuts a release.\",\n};\n",
    };
    const report = await scanTree(plugin(Object.fromEntries(Object.entries(cases).map(([name, text]) => [`workflows/${name}`, text]))));
    expect(Object.fromEntries(report.artifacts.filter((a) => a.type === "workflow").map((a) => [a.key, a.status]))).toEqual({
      "workflow:p/a": "failed",
      "workflow:p/b": "failed",
      "workflow:p/c": "failed",
      "workflow:p/d": "failed",
      "workflow:p/ok": "success",
    });
  });
});

describe("monitors, read as Claude Code's loader reads them", () => {
  it("fails a monitors file that is not JSON, and a monitor without a description", async () => {
    const base = { "p/.claude-plugin/plugin.json": pluginJson("p") };
    const broken = await scanTree({ ...base, "p/monitors/monitors.json": "[{oops" });
    expect(byKey(broken, "monitor:p")).toMatchObject({ status: "failed", reason: { code: "json_parse_error" } });
    const bare = await scanTree({ ...base, "p/monitors/monitors.json": JSON.stringify([{ name: "log", command: "tail -f x.log" }]) });
    expect(byKey(bare, "monitor:p")).toMatchObject({ status: "failed", reason: { code: "missing_metadata" } });
  });
});

describe("LSP servers, held to Claude Code's schema", () => {
  const lsp = (servers: unknown) => ({ "p/.claude-plugin/plugin.json": pluginJson("p"), "p/.lsp.json": JSON.stringify(servers, null, 2) });
  const go = { command: "gopls", args: ["serve"], extensionToLanguage: { ".go": "go" }, transport: "stdio", startupTimeout: 5000, restartOnCrash: true };

  it("passes a server that says everything the way Claude Code reads it", async () => {
    expect(byKey(await scanTree(lsp({ go })), "lsp:p").status).toBe("success");
  });

  it.each([
    ["an unknown field", { go: { ...go, foo: 1 } }, "`foo` is not a field Claude Code knows"],
    ["a command with a space", { go: { ...go, command: "go pls" } }, "holds a space"],
    ["args that are not a list", { go: { ...go, args: "serve" } }, "`args` must be a list of text"],
    ["an empty extension map", { go: { ...go, extensionToLanguage: {} } }, "not an empty object"],
    ["an extension without its dot", { go: { ...go, extensionToLanguage: { go: "go" } } }, 'maps "go" to a string'],
    ["a $schema key", { $schema: "https://example.com/lsp.json", go }, 'The LSP server "$schema" must be an object'],
  ])("fails %s", async (_what, servers, message) => {
    const result = byKey(await scanTree(lsp(servers)), "lsp:p");
    expect(result.status).toBe("failed");
    expect(result.findings.map((f) => f.message).join("\n")).toContain(message);
  });
});
