import { serverEntries } from "../../capabilities/entries.js";
import { urlHost, isLoopbackHost } from "../../capabilities/url.js";
import { always, type Rule } from "../types.js";

export const securityMcpPlainHttp: Rule = {
  id: "security/mcp-plain-http",
  description: "An MCP server's `url` uses `https://` unless it reaches the machine itself (`localhost`, `127.0.0.1`, `[::1]`): over plain `http://` anyone on the way can read the agent's requests, the tokens in its headers, and change the tools it is given.",
  types: ["mcp", "plugin"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Use the server's `https://` address.",
  example: { file: ".mcp.json", line: 5, column: 14, message: "The server \"docs\" is reached over plain http at docs.example.com: anyone on the network path can read and change what it sends the agent; use https://." },
  check({ artifact, json, report }) {
    if (!json) return;
    for (const { name, server, path } of serverEntries(artifact.type, json)) {
      if (typeof server.url !== "string" || !/^(?:http|ws):\/\//i.test(server.url)) continue;
      const host = urlHost(server.url);
      if (host === null || isLoopbackHost(host)) continue;
      const secure = server.url.toLowerCase().startsWith("ws:") ? "wss://" : "https://";
      report({ message: `The server ${JSON.stringify(name)} is reached over plain ${server.url.slice(0, server.url.indexOf(":")).toLowerCase()} at ${host}: anyone on the network path can read and change what it sends the agent; use ${secure}.`, span: json.locate([...path, "url"]) });
    }
  },
};
