import { describeJsonType, isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";

export const mcpServers: Rule = {
  id: "mcp/servers",
  description: "An MCP config holds an `mcpServers` object whose servers each say how to reach them: a `command`, or a `url` with a `type`.",
  types: ["mcp"],
  reason: "invalid_structure",
  severity: always("error"),
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const flat = !("mcpServers" in json.value);
    const servers = flat ? json.value : json.value.mcpServers;
    if (flat && !looksLikeServers(json.value)) {
      report({ message: "The file has no `mcpServers` object (nor servers at its top level, each with a `command` or a `url`).", span: json.locate([]) });
      return;
    }
    if (!isObject(servers)) {
      report({ message: `\`mcpServers\` must be an object keyed by server name, not ${describeJsonType(servers)}.`, span: json.locate(["mcpServers"]) });
      return;
    }
    for (const [name, server] of Object.entries(servers)) {
      const at = flat ? [name] : ["mcpServers", name];
      if (!isObject(server)) {
        report({ message: `The server ${JSON.stringify(name)} must be an object, not ${describeJsonType(server)}.`, span: json.locate(at) });
        continue;
      }
      const hasCommand = typeof server.command === "string" && server.command.trim() !== "";
      const hasUrl = typeof server.url === "string" && server.url.trim() !== "";
      if (!hasCommand && !hasUrl) {
        report({ message: `The server ${JSON.stringify(name)} has neither a \`command\` (stdio) nor a \`url\` (http or sse).`, span: json.locate(at, "key") });
      } else if (hasUrl && !hasCommand && typeof server.type !== "string") {
        report({ message: `The server ${JSON.stringify(name)} has a \`url\` but no \`type\`; add \`"type": "http"\` or \`"type": "sse"\`.`, span: json.locate([...at, "url"], "key") });
      }
    }
  },
};

/** Plugins may put servers at the top level of `.mcp.json`, without the `mcpServers` wrapper. */
export function looksLikeServers(value: Record<string, unknown>): boolean {
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((server) => isObject(server) && ("command" in server || "url" in server || "type" in server));
}
