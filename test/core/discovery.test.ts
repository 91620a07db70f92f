import { describe, expect, it } from "vitest";
import { agent, byKey, command, keys, makeTree, pluginJson, scanTree, skill } from "../helpers/repo.js";

describe("discovery", () => {
  it("finds project artifacts under .claude/", async () => {
    const report = await scanTree({
      ".claude/skills/pdf/SKILL.md": skill("pdf"),
      ".claude/commands/deploy.md": command("Deploy"),
      ".claude/agents/reviewer.md": agent("reviewer"),
      ".claude/settings.json": JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "echo done" }] }] } }),
      ".mcp.json": JSON.stringify({ mcpServers: { files: { command: "npx", args: ["files-mcp"] } } }),
    });
    expect(keys(report)).toEqual(["agent:reviewer", "command:deploy", "hook:project", "mcp:project", "skill:pdf"]);
    expect(report.totals).toEqual({ discovered: 5, success: 5, skipped: 0, failed: 0 });
    expect(byKey(report, "skill:pdf")).toMatchObject({ type: "skill", name: "pdf", path: ".claude/skills/pdf", status: "success", change: null });
  });

  it("finds skills at the repository root layout skills/<name>/SKILL.md, and skill.md in lower case", async () => {
    const report = await scanTree({
      "skills/alpha/SKILL.md": skill("alpha"),
      "skills/beta/skill.md": skill("beta"),
      "skills/alpha/reference/guide.md": "# guide",
      "skills/alpha/scripts/run.py": "print(1)",
    });
    expect(keys(report)).toEqual(["skill:alpha", "skill:beta"]);
    expect(byKey(report, "skill:alpha").files).toEqual(["skills/alpha/SKILL.md", "skills/alpha/reference/guide.md", "skills/alpha/scripts/run.py"]);
  });

  it("namespaces artifacts inside a plugin by the plugin's folder", async () => {
    const report = await scanTree({
      "plugins/pdf-tools/.claude-plugin/plugin.json": pluginJson("pdf-tools"),
      "plugins/pdf-tools/skills/extract/SKILL.md": skill("extract"),
      "plugins/pdf-tools/commands/extract.md": command("Extract"),
      "plugins/pdf-tools/agents/checker.md": "---\ndescription: checks\n---\nbody\n",
      "plugins/pdf-tools/hooks/hooks.json": JSON.stringify({ hooks: {} }),
      "plugins/pdf-tools/.mcp.json": JSON.stringify({ mcpServers: {} }),
    });
    expect(keys(report)).toEqual([
      "agent:pdf-tools/checker",
      "command:pdf-tools/extract",
      "hook:pdf-tools",
      "mcp:pdf-tools",
      "plugin:pdf-tools",
      "skill:pdf-tools/extract",
    ]);
    // A plugin's agents load under their file name, so a missing `name` is no failure there.
    expect(byKey(report, "agent:pdf-tools/checker").status).toBe("success");
  });

  it("indexes the hooks and MCP files plugin.json names at other paths as artifacts of that plugin, keyed by their path in it", async () => {
    const report = await scanTree({
      "plugins/pdf-tools/.claude-plugin/plugin.json": JSON.stringify({ name: "pdf-tools", hooks: ["./hooks/hooks.json", "./config/hooks.json"], mcpServers: "./servers.json" }),
      "plugins/pdf-tools/hooks/hooks.json": JSON.stringify({ hooks: {} }),
      "plugins/pdf-tools/config/hooks.json": "{bad",
      "plugins/pdf-tools/servers.json": JSON.stringify({ mcpServers: { s: { url: "https://x.y/mcp" } } }),
    });
    expect(keys(report)).toEqual(["hook:pdf-tools", "hook:pdf-tools/config/hooks.json", "mcp:pdf-tools/servers.json", "plugin:pdf-tools"]);
    expect(byKey(report, "hook:pdf-tools/config/hooks.json")).toMatchObject({ status: "failed", reason: { code: "json_parse_error" } });
    expect(byKey(report, "mcp:pdf-tools/servers.json")).toMatchObject({ status: "failed", reason: { code: "invalid_structure" } });
    expect(byKey(report, "plugin:pdf-tools").status).toBe("success");
  });

  it("counts an mcp.json that plugin.json names as an MCP file whatever it holds", async () => {
    const report = await scanTree({
      ".claude-plugin/plugin.json": JSON.stringify({ name: "p", mcpServers: "./mcp.json" }),
      "mcp.json": JSON.stringify({ servers: [] }),
    });
    expect(keys(report)).toContain("mcp:repo");
  });

  it("treats plugins/<name>/ with component folders as a plugin even without plugin.json", async () => {
    const report = await scanTree({ "plugins/review/commands/review.md": command("Review") });
    expect(keys(report)).toEqual(["command:review/review", "plugin:review"]);
    expect(byKey(report, "plugin:review").status).toBe("success");
  });

  it("treats folders a marketplace lists as plugins, and names a root marketplace after the repository", async () => {
    const report = await scanTree({
      ".claude-plugin/marketplace.json": JSON.stringify({
        name: "acme",
        owner: { name: "Acme" },
        plugins: [{ name: "tools", source: "./vendor/tools" }],
      }),
      "vendor/tools/skills/one/SKILL.md": skill("one"),
    });
    expect(keys(report)).toEqual(["marketplace:repo", "plugin:tools", "skill:tools/one"]);
  });

  it("treats a repository whose root is a plugin as that plugin, named after the repository", async () => {
    const report = await scanTree({ ".claude-plugin/plugin.json": pluginJson("solo"), "commands/go.md": command("Go") });
    expect(keys(report)).toEqual(["command:repo/go", "plugin:repo"]);
  });

  it("finds nested command and agent folders and keys them by file name", async () => {
    const report = await scanTree({
      ".claude/commands/git/commit.md": command("Commit"),
      ".claude/commands/git/flow/release.md": command("Release"),
      "agents/backend/api-designer.md": agent("api-designer"),
    });
    expect(keys(report)).toEqual(["agent:api-designer", "command:commit", "command:release"]);
  });

  it("leaves out README, CHANGELOG and LICENSE files, and files that are not Markdown", async () => {
    const report = await scanTree({
      ".claude/commands/README.md": "# Commands",
      ".claude/commands/CHANGELOG.md": "# Changes",
      "agents/LICENSE.md": "MIT",
      ".claude/commands/helper.sh": "echo",
      ".claude/commands/ok.md": command("Ok"),
    });
    expect(keys(report)).toEqual(["command:ok"]);
  });

  it("counts files inside a skill folder as the skill's own, not as commands or agents", async () => {
    const report = await scanTree({
      "skills/writer/SKILL.md": skill("writer"),
      "skills/writer/agents/helper.md": "not an agent of its own",
      "skills/writer/commands/x.md": "not a command of its own",
    });
    expect(keys(report)).toEqual(["skill:writer"]);
  });

  it("never walks .git or node_modules", async () => {
    const report = await scanTree({
      "node_modules/pkg/skills/x/SKILL.md": skill("x"),
      ".git/commands/y.md": command("y"),
      "skills/real/SKILL.md": skill("real"),
    });
    expect(keys(report)).toEqual(["skill:real"]);
  });

  it("does not hang on a symlink loop, and reports it", async () => {
    const report = await scanTree({
      "skills/a/SKILL.md": skill("a"),
      "skills/a/loop": { symlink: ".." },
      "skills/self": { symlink: "." },
    });
    expect(keys(report)).toEqual(["skill:a"]);
    expect(report.warnings.some((w) => w.includes("symlink loop"))).toBe(true);
  });

  it("follows a symlinked skill folder, and reports the second path of the same key as a duplicate", async () => {
    const report = await scanTree({
      "skills/shared/SKILL.md": skill("shared"),
      ".claude/skills/shared": { symlink: "../../skills/shared" },
    });
    const results = report.artifacts.filter((a) => a.key === "skill:shared");
    expect(results.map((a) => [a.path, a.status])).toEqual([
      [".claude/skills/shared", "success"],
      ["skills/shared", "skipped"],
    ]);
    expect(results[1]?.reason).toMatchObject({ code: "duplicate", duplicateOf: ".claude/skills/shared" });
  });

  it("counts mcp.json only when it has mcpServers, and settings.json only when it has hooks", async () => {
    const report = await scanTree({
      "mcp.json": JSON.stringify({ other: true }),
      ".claude/settings.json": JSON.stringify({ permissions: {} }),
    });
    expect(report.totals.discovered).toBe(0);
    const withKeys = await scanTree({ "mcp.json": JSON.stringify({ mcpServers: { a: { command: "a" } } }) });
    expect(keys(withKeys)).toEqual(["mcp:project"]);
  });

  it("finds nothing in an empty folder", async () => {
    const report = await scanTree({ "src/index.ts": "export {};" });
    expect(report.totals).toEqual({ discovered: 0, success: 0, skipped: 0, failed: 0 });
    expect(report.artifacts).toEqual([]);
  });
});

describe("links that lead out of the repository", () => {
  it("never reads a file a symlink points at outside the repository, and says so", async () => {
    const outside = makeTree({ "secret.md": "---\nname: leaked-secret-value\ndescription: [oops\n---\n" }, "outside");
    const report = await scanTree({ ".claude/agents/spy.md": { symlink: `${outside}/secret.md` } });
    const spy = byKey(report, "agent:spy");
    expect(spy).toMatchObject({ status: "failed", reason: { code: "io_error" } });
    expect(spy.reason?.message).toMatch(/symlink to a file outside the repository/);
    expect(JSON.stringify(report)).not.toContain("leaked-secret-value");
    expect(report.metrics.filesRead).toBe(0);
  });

  it("does not walk a symlinked folder outside the repository", async () => {
    const outside = makeTree({ "skills/theirs/SKILL.md": skill("theirs") }, "outside");
    const report = await scanTree({ "vendor": { symlink: outside }, "skills/ours/SKILL.md": skill("ours") });
    expect(keys(report)).toEqual(["skill:ours"]);
    expect(report.warnings).toEqual(["vendor: a symlink to a folder outside the repository, not followed"]);
  });

  it("refuses a skip file that is a symlink out of the repository", async () => {
    const outside = makeTree({ "passwd": "root:x:0:0:root:/root:/bin/bash\n" }, "outside");
    await expect(scanTree({ ".github/skilldex.yml": { symlink: `${outside}/passwd` } })).rejects.toThrow(/symlink to a file outside the repository/);
  });
});
