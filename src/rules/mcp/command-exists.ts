import { dirname } from "../../discover/paths.js";
import { commandReferences, execWords, isMissing, pluginFolderOf, type CommandBases } from "../_shared/command-paths.js";
import { mcpServerMaps } from "../../manifest/mcp.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

export const mcpCommandExists: Rule = {
  id: "mcp/command-exists",
  description: "Every file a local MCP server runs from the repository exists: its `command` when that is a path (`${CLAUDE_PLUGIN_ROOT}/server.js`, `./server.sh`), the script an interpreter in `command` runs from `args` (`\"command\": \"node\", \"args\": [\"${CLAUDE_PLUGIN_ROOT}/dist/index.js\"]`) and arguments written as `${CLAUDE_PLUGIN_ROOT}/...`. Programs on PATH (`npx`, `uvx`) and paths built from other variables are not judged. Checked in MCP files and in servers written inline in plugin.json.",
  types: ["mcp", "plugin"],
  reason: "broken_reference",
  // Claude Code's validator accepts it, but it fails each time it runs: a real break, so an error.
  // Written inline in plugin.json it warns under claude-code, so a plugin Claude Code accepts loads.
  severity: always("error"),
  severityByType: { plugin: { "claude-code": "warning" } },
  fix: "Add the file at that path (commit a built server, or run it from its sources), or correct the path.",
  example: { file: "plugins/docs/.mcp.json", line: 5, column: 16, message: "The server \"docs\" runs \"${CLAUDE_PLUGIN_ROOT}/dist/index.js\", but there is no plugins/docs/dist/index.js; Claude Code lists the server, and it fails to start." },
  check({ artifact, json, files, scope, report }) {
    if (!json || !isObject(json.value)) return;
    const pluginRoot = pluginFolderOf(artifact, files, scope);
    const projectDir = artifact.plugin === null && artifact.type === "mcp" ? dirname(artifact.path) : null;
    for (const { value, at } of mcpServerMaps(artifact.type, json.value)) {
      for (const [name, server] of Object.entries(value)) {
        if (!isObject(server) || typeof server.command !== "string" || (server.type !== undefined && server.type !== "stdio")) continue;
        // A server with its own `cwd` reads relative paths from there.
        const bases: CommandBases = { pluginRoot, projectDir, relative: "cwd" in server ? null : (pluginRoot ?? projectDir) };
        const words = execWords(server.command, Array.isArray(server.args) ? server.args : []);
        for (const { word, role, target } of commandReferences([words], bases)) {
          if (!isMissing(files, target)) continue;
          const where = word.source === 0 ? [...at, name, "command"] : [...at, name, "args", word.source - 1];
          report({ message: `The server ${JSON.stringify(name)} ${role === "argument" ? "passes" : "runs"} ${JSON.stringify(word.text)}, but there is no ${target}; Claude Code lists the server, and it ${role === "argument" ? "will not find the file" : "fails to start"}.`, span: json.locate(where) });
        }
      }
    }
  },
};
