import type { JsonPath } from "../../parse/json.js";
import { mcpServerMaps } from "../../manifest/mcp.js";
import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

const REMOTE_TYPES = ["sse", "http", "streamable-http", "ws"];
const TYPES = ["stdio", "sdk", ...REMOTE_TYPES];

export const mcpServers: Rule = {
  id: "mcp/servers",
  description: "Each MCP server (under `mcpServers`, or at the top level of a plugin's .mcp.json, or written inline in plugin.json's `mcpServers`) says how to reach it: a `command` (with `args` as a list of text) for stdio, or a `url` with a `type` of http, sse or ws. Claude Code silently drops such a server from a file, and refuses a plugin.json that holds one.",
  types: ["mcp", "plugin"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Give a local server `\"command\": \"npx\", \"args\": [\"-y\", \"pkg\"]`, and a remote one `\"type\": \"http\", \"url\": \"https://...\"`.",
  example: { file: ".mcp.json", line: 3, column: 15, message: "The server \"docs\" has a `url` but no `type`; add `\"type\": \"http\"` (or \"sse\" / \"ws\"), or Claude Code reads it as a stdio server without a command and drops it." },
  check({ artifact, json, report }) {
    if (!json || !isObject(json.value)) return;
    if (artifact.type === "mcp" && "mcpServers" in json.value && !isObject(json.value.mcpServers)) {
      report({ message: `\`mcpServers\` must be an object keyed by server name, not ${describeJsonType(json.value.mcpServers)}.`, span: json.locate(["mcpServers"]) });
      return;
    }
    for (const { value, at } of mcpServerMaps(artifact.type, json.value)) {
      for (const problem of serverProblems(value, at)) report({ message: problem.message, span: json.locate(problem.path, problem.part) });
    }
  },
};

interface ServerProblem {
  message: string;
  path: JsonPath;
  part: "key" | "value";
}

/** What stops each server of a map (server name to definition) from starting, with where it stands. */
function serverProblems(servers: Record<string, unknown>, at: JsonPath): ServerProblem[] {
  const out: ServerProblem[] = [];
  const problem = (message: string, path: JsonPath, part: "key" | "value" = "value"): void => void out.push({ message, path, part });
  for (const [name, server] of Object.entries(servers)) {
    const path: JsonPath = [...at, name];
    const label = JSON.stringify(name);
    if (!isObject(server)) {
      problem(`The server ${label} must be an object, not ${describeJsonType(server)}.`, path);
      continue;
    }
    const type = server.type;
    if (type !== undefined && (typeof type !== "string" || !TYPES.includes(type))) {
      problem(`The server ${label} has the type ${describeJsonType(type)}; use "stdio", "http", "sse" or "ws".`, [...path, "type"]);
      continue;
    }
    if (typeof type === "string" && REMOTE_TYPES.includes(type)) {
      if (typeof server.url !== "string" || server.url === "") problem(`The ${type} server ${label} has no \`url\`; Claude Code drops it.`, path, "key");
      continue;
    }
    if (type === "sdk") continue;
    if (type === undefined && "url" in server && !("command" in server)) {
      problem(`The server ${label} has a \`url\` but no \`type\`; add \`"type": "http"\` (or "sse" / "ws"), or Claude Code reads it as a stdio server without a command and drops it.`, [...path, "url"], "key");
      continue;
    }
    if (typeof server.command !== "string" || server.command === "") {
      const what = "command" in server ? `\`command\` must be non-empty text, not ${describeJsonType(server.command)}` : "it has neither a `command` (stdio) nor a `url` with a `type` (http, sse, ws)";
      problem(`The server ${label} cannot start: ${what}. Claude Code drops it.`, "command" in server ? [...path, "command"] : path, "command" in server ? "value" : "key");
    }
    if ("args" in server && !(Array.isArray(server.args) && server.args.every((a) => typeof a === "string"))) {
      problem(`The server ${label} has \`args\` ${describeJsonType(server.args)}; it must be a list of text such as ["-y", "pkg"].`, [...path, "args"]);
    }
    if ("env" in server && !isObject(server.env)) {
      problem(`The server ${label} has \`env\` ${describeJsonType(server.env)}; it must be an object of variable names to values.`, [...path, "env"]);
    }
  }
  return out;
}
