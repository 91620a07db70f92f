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
    const servers = json.value.mcpServers;
    if (!("mcpServers" in json.value)) {
      report({ message: "The file has no `mcpServers` object.", span: json.locate([]) });
      return;
    }
    if (!isObject(servers)) {
      report({ message: `\`mcpServers\` must be an object keyed by server name, not ${describeJsonType(servers)}.`, span: json.locate(["mcpServers"]) });
      return;
    }
    for (const [name, server] of Object.entries(servers)) {
      const at = ["mcpServers", name];
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
