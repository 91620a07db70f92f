import type { JsonPath } from "../../parse/json.js";
import { describeJsonType, isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";

const REMOTE_TYPES = ["sse", "http", "streamable-http", "ws"];
const TYPES = ["stdio", "sdk", ...REMOTE_TYPES];

export const mcpServers: Rule = {
  id: "mcp/servers",
  description: "Each MCP server (under `mcpServers`, or at the top level of a plugin's .mcp.json) says how to reach it: a `command` (with `args` as a list of text) for stdio, or a `url` with a `type` of http, sse or ws. Claude Code silently drops a server that does not.",
  types: ["mcp"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Give a local server `\"command\": \"npx\", \"args\": [\"-y\", \"pkg\"]`, and a remote one `\"type\": \"http\", \"url\": \"https://...\"`.",
  example: { file: ".mcp.json", line: 3, column: 15, message: "The server \"docs\" has a `url` but no `type`; add `\"type\": \"http\"` (or \"sse\" / \"ws\"), or Claude Code reads it as a stdio server without a command and drops it." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const wrapped = "mcpServers" in json.value;
    const servers = wrapped ? json.value.mcpServers : json.value;
    if (!isObject(servers)) {
      report({ message: `\`mcpServers\` must be an object keyed by server name, not ${describeJsonType(servers)}.`, span: json.locate(["mcpServers"]) });
      return;
    }
    for (const [name, server] of Object.entries(servers)) {
      if (!wrapped && name === "$schema") continue;
      const at: JsonPath = wrapped ? ["mcpServers", name] : [name];
      const label = JSON.stringify(name);
      if (!isObject(server)) {
        report({ message: `The server ${label} must be an object, not ${describeJsonType(server)}.`, span: json.locate(at) });
        continue;
      }
      const type = server.type;
      if (type !== undefined && (typeof type !== "string" || !TYPES.includes(type))) {
        report({ message: `The server ${label} has the type ${describeJsonType(type)}; use "stdio", "http", "sse" or "ws".`, span: json.locate([...at, "type"]) });
        continue;
      }
      if (typeof type === "string" && REMOTE_TYPES.includes(type)) {
        if (typeof server.url !== "string" || server.url === "") report({ message: `The ${type} server ${label} has no \`url\`; Claude Code drops it.`, span: json.locate(at, "key") });
        continue;
      }
      if (type === "sdk") continue;
      if (type === undefined && "url" in server && !("command" in server)) {
        report({ message: `The server ${label} has a \`url\` but no \`type\`; add \`"type": "http"\` (or "sse" / "ws"), or Claude Code reads it as a stdio server without a command and drops it.`, span: json.locate([...at, "url"], "key") });
        continue;
      }
      if (typeof server.command !== "string" || server.command === "") {
        const what = "command" in server ? `\`command\` must be non-empty text, not ${describeJsonType(server.command)}` : "it has neither a `command` (stdio) nor a `url` with a `type` (http, sse, ws)";
        report({ message: `The server ${label} cannot start: ${what}. Claude Code drops it.`, span: json.locate("command" in server ? [...at, "command"] : at, "command" in server ? "value" : "key") });
      }
      if ("args" in server && !(Array.isArray(server.args) && server.args.every((a) => typeof a === "string"))) {
        report({ message: `The server ${label} has \`args\` ${describeJsonType(server.args)}; it must be a list of text such as ["-y", "pkg"].`, span: json.locate([...at, "args"]) });
      }
      if ("env" in server && !isObject(server.env)) {
        report({ message: `The server ${label} has \`env\` ${describeJsonType(server.env)}; it must be an object of variable names to values.`, span: json.locate([...at, "env"]) });
      }
    }
  },
};

/** Plugins may put servers at the top level of `.mcp.json`, without the `mcpServers` wrapper. */
export function looksLikeServers(value: Record<string, unknown>): boolean {
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((server) => isObject(server) && ("command" in server || "url" in server || "type" in server));
}
