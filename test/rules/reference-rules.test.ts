import { describe, expect, it } from "vitest";
import type { Finding, Profile } from "../../src/model.js";
import { byKey, pluginJson, scanTree, type Tree } from "../helpers/repo.js";

/** A hooks file with one command hook per line, from line 3 on: `{"type": "command", "command": ...}`. */
const hooksFile = (event: string, hooks: Record<string, unknown>[]): string =>
  `{"hooks": {\n  "${event}": [{"matcher": "Bash", "hooks": [\n${hooks.map((h) => `    ${JSON.stringify({ type: "command", ...h })}`).join(",\n")}\n  ]}]}}\n`;

const plugin = (files: Tree, name = "p"): Tree => ({ [`plugins/${name}/.claude-plugin/plugin.json`]: pluginJson(name), ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`plugins/${name}/${path}`, text])) });

async function findingsOf(files: Tree, key: string, rule: string, profile: Profile = "claude-code"): Promise<{ status: string; reason: string | null; findings: Finding[] }> {
  const artifact = byKey(await scanTree(files, { profile }), key);
  return { status: artifact.status, reason: artifact.reason?.code ?? null, findings: artifact.findings.filter((f) => f.rule === rule) };
}

const at = (findings: Finding[]): string[] => findings.map((f) => `${f.line}:${f.column}`);

describe("hook/command-exists", () => {
  it("fails a plugin hook whose script is missing, at the command, in both profiles: Claude Code loads it, and it fails each time it runs", async () => {
    const files = plugin({ "hooks/hooks.json": hooksFile("PreToolUse", [{ command: "${CLAUDE_PLUGIN_ROOT}/scripts/check.sh" }]) });
    const claude = await findingsOf(files, "hook:p", "hook/command-exists");
    expect(claude.findings).toEqual([
      expect.objectContaining({
        severity: "error",
        file: "plugins/p/hooks/hooks.json",
        line: 3,
        column: 33,
        message: 'The PreToolUse hook runs "${CLAUDE_PLUGIN_ROOT}/scripts/check.sh", but there is no plugins/p/scripts/check.sh; Claude Code loads the hook, and it fails every time it runs.',
      }),
    ]);
    expect({ status: claude.status, reason: claude.reason }).toEqual({ status: "failed", reason: "broken_reference" });
    const strict = await findingsOf(files, "hook:p", "hook/command-exists", "agentskills");
    expect(strict.findings.map((f) => f.severity)).toEqual(["error"]);
    expect({ status: strict.status, reason: strict.reason }).toEqual({ status: "failed", reason: "broken_reference" });
  });

  it("reads the script out of every shell shape: quoted with arguments, behind an interpreter, relative, after `cd`", async () => {
    const commands = [
      '"${CLAUDE_PLUGIN_ROOT}/a.sh" --flag',
      "bash ${CLAUDE_PLUGIN_ROOT}/b.sh 2>/dev/null || true",
      "node ./c.js",
      "python3 scripts/d.py",
      "uv run --with requests ${CLAUDE_PLUGIN_ROOT}/e.py",
      "cd ${CLAUDE_PLUGIN_ROOT}/scripts && bash present.sh && bash f.sh",
      'bash "${CLAUDE_PLUGIN_ROOT}/scripts/present.sh" "${CLAUDE_PLUGIN_ROOT}/g.py"',
      "sh -c 'cd \"${CLAUDE_PLUGIN_ROOT}\" && ./h.sh'",
    ];
    const files = plugin({ "hooks/hooks.json": hooksFile("Stop", commands.map((command) => ({ command }))), "scripts/present.sh": "#!/bin/sh\n" });
    const { findings } = await findingsOf(files, "hook:p", "hook/command-exists");
    expect(findings.map((f) => [f.line, /(?:runs|passes) "[^"]+"/.exec(f.message)?.[0]])).toEqual([
      [3, 'runs "${CLAUDE_PLUGIN_ROOT}/a.sh"'],
      [4, 'runs "${CLAUDE_PLUGIN_ROOT}/b.sh"'],
      [5, 'runs "./c.js"'],
      [6, 'runs "scripts/d.py"'],
      [7, 'runs "${CLAUDE_PLUGIN_ROOT}/e.py"'],
      [8, 'runs "f.sh"'],
      [9, 'passes "${CLAUDE_PLUGIN_ROOT}/g.py"'],
      [10, 'runs "./h.sh"'],
    ]);
    expect(findings[2]?.message).toContain('a relative path is read from the session\'s working directory, not the plugin, so write "${CLAUDE_PLUGIN_ROOT}/c.js"');
    expect(findings[5]?.message).toContain("there is no plugins/p/scripts/f.sh");
    expect(findings[5]?.message).not.toContain("relative path is read");
  });

  it("points at the `args` entry of exec form, and at its command", async () => {
    const files = plugin({ "hooks/hooks.json": hooksFile("Stop", [{ command: "${CLAUDE_PLUGIN_ROOT}/run.sh", args: ["--in", "${CLAUDE_PLUGIN_ROOT}/data.json"] }]) });
    const { findings } = await findingsOf(files, "hook:p", "hook/command-exists");
    expect(at(findings)).toEqual(["3:33", "3:79"]);
    expect(findings[1]?.message).toContain('passes "${CLAUDE_PLUGIN_ROOT}/data.json"');
  });

  it("says nothing of scripts that exist, folders, programs on PATH, built paths, tests for a file, output files or the user's project", async () => {
    const commands = [
      "${CLAUDE_PLUGIN_ROOT}/scripts/present.sh",
      "${CLAUDE_PLUGIN_ROOT}/scripts",
      "npx prettier --write .",
      "jq -r .tool_input.command >> ~/.claude/log.txt",
      "${CLAUDE_PLUGIN_ROOT}/hooks/$EVENT.sh",
      "${CLAUDE_PLUGIN_ROOT}/hooks/*.sh",
      "[ -f ${CLAUDE_PLUGIN_ROOT}/optional.sh ] && echo yes",
      "echo done > ${CLAUDE_PLUGIN_ROOT}/last-run.txt",
      "${CLAUDE_PROJECT_DIR}/scripts/lint.sh",
      "python3 -m black .",
      "node -e \"require('./x.js')\"",
      "/usr/local/bin/check",
      "${CLAUDE_PLUGIN_ROOT}/../shared/x.sh",
      'bash -c "$HOME/bin/x.sh"',
    ];
    const files = plugin({ "hooks/hooks.json": hooksFile("PreToolUse", commands.map((command) => ({ command }))), "scripts/present.sh": "#!/bin/sh\n" });
    expect((await findingsOf(files, "hook:p", "hook/command-exists")).findings).toEqual([]);
  });

  it("checks hooks written inline in plugin.json, on the plugin", async () => {
    const manifest = '{\n  "name": "p",\n  "hooks": {"SessionStart": [{"hooks": [\n    {"type": "command", "command": "${CLAUDE_PLUGIN_ROOT}/start.sh"}]}]}\n}\n';
    const { findings } = await findingsOf({ "p/.claude-plugin/plugin.json": manifest }, "plugin:p", "hook/command-exists");
    expect(findings).toEqual([expect.objectContaining({ file: "p/.claude-plugin/plugin.json", line: 4, column: 36, message: expect.stringContaining("there is no p/start.sh") })]);
  });

  it("reads `${CLAUDE_PLUGIN_ROOT}` as the plugin folder for a hooks file plugin.json names elsewhere, and for a plugin at the root", async () => {
    const named = {
      "plugins/p/.claude-plugin/plugin.json": JSON.stringify({ name: "p", hooks: "./config/hooks.json" }),
      "plugins/p/config/hooks.json": hooksFile("Stop", [{ command: "${CLAUDE_PLUGIN_ROOT}/config/gone.sh" }, { command: "${CLAUDE_PLUGIN_ROOT}/bin/present.sh" }]),
      "plugins/p/bin/present.sh": "#!/bin/sh\n",
    };
    const nested = await findingsOf(named, "hook:p/config/hooks.json", "hook/command-exists");
    expect(nested.findings.map((f) => f.message)).toEqual([expect.stringContaining("there is no plugins/p/config/gone.sh")]);
    const root = { ".claude-plugin/plugin.json": pluginJson("repo"), "hooks/hooks.json": hooksFile("Stop", [{ command: "${CLAUDE_PLUGIN_ROOT}/hooks/gone.sh" }]) };
    expect((await findingsOf(root, "hook:repo", "hook/command-exists")).findings.map((f) => f.message)).toEqual([expect.stringContaining("there is no hooks/gone.sh")]);
  });

  it("reads `${CLAUDE_PROJECT_DIR}` and relative paths of .claude/settings.json from the project, and leaves `${CLAUDE_PLUGIN_ROOT}` there alone", async () => {
    const settings = hooksFile("PostToolUse", [
      { command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/format.sh' },
      { command: "python3 .claude/hooks/lint.py" },
      { command: "${CLAUDE_PROJECT_DIR}/.claude/hooks/present.sh" },
      { command: "${CLAUDE_PLUGIN_ROOT}/x.sh" },
    ]);
    const { findings } = await findingsOf({ ".claude/settings.json": settings, ".claude/hooks/present.sh": "#!/bin/sh\n" }, "hook:project", "hook/command-exists");
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [3, expect.stringContaining("there is no .claude/hooks/format.sh")],
      [4, expect.stringContaining("there is no .claude/hooks/lint.py")],
    ]);
    expect(findings[1]?.message).not.toContain("relative path is read");
  });
});

describe("mcp/command-exists", () => {
  const mcp = (servers: Record<string, unknown>): string => `{\n  "mcpServers": {\n${Object.entries(servers).map(([name, s]) => `    ${JSON.stringify(name)}: ${JSON.stringify(s)}`).join(",\n")}\n  }\n}\n`;

  it("finds a plugin server whose command or script is missing, at that string", async () => {
    const files = plugin({
      ".mcp.json": mcp({
        direct: { command: "${CLAUDE_PLUGIN_ROOT}/server.js" },
        script: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/dist/index.js"] },
        relative: { command: "node", args: ["dist/other.js"] },
      }),
    });
    const claude = await findingsOf(files, "mcp:p", "mcp/command-exists");
    expect(claude.findings.map((f) => [f.severity, `${f.line}:${f.column}`, f.message])).toEqual([
      ["error", "3:26", 'The server "direct" runs "${CLAUDE_PLUGIN_ROOT}/server.js", but there is no plugins/p/server.js; Claude Code lists the server, and it fails to start.'],
      ["error", "4:41", expect.stringContaining('runs "${CLAUDE_PLUGIN_ROOT}/dist/index.js", but there is no plugins/p/dist/index.js')],
      ["error", "5:43", expect.stringContaining("there is no plugins/p/dist/other.js")],
    ]);
    expect({ status: claude.status, reason: claude.reason }).toEqual({ status: "failed", reason: "broken_reference" });
    const strict = await findingsOf(files, "mcp:p", "mcp/command-exists", "agentskills");
    expect({ status: strict.status, reason: strict.reason }).toEqual({ status: "failed", reason: "broken_reference" });
  });

  it("says nothing of servers on PATH, remote servers, files that exist, a server with its own `cwd`, or a script read from a folder an option names", async () => {
    const files = plugin({
      ".mcp.json": mcp({
        npx: { command: "npx", args: ["-y", "@scope/server"] },
        uvx: { command: "uvx", args: ["mcp-server-fetch"] },
        remote: { type: "http", url: "https://example.com/mcp" },
        present: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server/index.js"] },
        cwd: { command: "node", args: ["index.js"], cwd: "${CLAUDE_PLUGIN_ROOT}/server" },
        uv: { command: "uv", args: ["run", "--directory", "${CLAUDE_PLUGIN_ROOT}/server", "main.py"] },
        env: { command: "${CLAUDE_PLUGIN_ROOT}/${BIN_NAME}" },
      }),
      "server/index.js": "",
    });
    expect((await findingsOf(files, "mcp:p", "mcp/command-exists")).findings).toEqual([]);
  });

  it("checks servers inline in plugin.json (a warning there under claude-code, whose validator accepts the plugin), and a project's .mcp.json against the project", async () => {
    const manifest = '{\n  "name": "p",\n  "mcpServers": {\n    "s": {"command": "${CLAUDE_PLUGIN_ROOT}/bin/server"}}\n}\n';
    const inline = await findingsOf({ "p/.claude-plugin/plugin.json": manifest }, "plugin:p", "mcp/command-exists");
    expect(at(inline.findings)).toEqual(["4:22"]);
    expect({ severity: inline.findings[0]?.severity, status: inline.status }).toEqual({ severity: "warning", status: "success" });
    const project = await findingsOf({ ".mcp.json": mcp({ local: { command: "./bin/server" }, there: { command: "./bin/present" } }), "bin/present": "" }, "mcp:project", "mcp/command-exists");
    expect(project.findings.map((f) => f.message)).toEqual([expect.stringContaining('The server "local" runs "./bin/server", but there is no bin/server')]);
  });
});
