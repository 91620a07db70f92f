import { serverEntries } from "../../capabilities/entries.js";
import { isObject } from "../../manifest/json.js";
import type { JsonPath } from "../../parse/json.js";
import { findSecrets, maskSecret } from "../_shared/secrets.js";
import { spanInString } from "../_shared/string-span.js";
import { always, type Rule } from "../types.js";

export const securityMcpLiteralSecret: Rule = {
  id: "security/mcp-literal-secret",
  description: "An MCP server's `env`, `headers`, `args` and `url` hold no literal token of a well-known service (GitHub `ghp_`/`gho_`/`ghs_`/`github_pat_`, AWS `AKIA…`, OpenAI `sk-…`/`sk-proj-…`, Anthropic `sk-ant-…`, Slack `xox…`, Stripe `sk_live_…`): a committed key can be read by everyone who can read the repository. References such as `${GITHUB_TOKEN}` and placeholders such as `sk_live_ACTUAL_KEY_HERE` are not tokens.",
  types: ["mcp", "plugin"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Revoke the key, then read it from the environment: `\"env\": { \"GITHUB_TOKEN\": \"${GITHUB_TOKEN}\" }`.",
  example: { file: ".mcp.json", line: 6, column: 25, message: "The server \"github\" holds what looks like a GitHub token (ghp_…4Q) in `env.GITHUB_TOKEN`: anyone who can read the repository can use it; revoke it and write \"${GITHUB_TOKEN}\" instead." },
  check({ artifact, json, report }) {
    if (!json) return;
    for (const { name, server, path } of serverEntries(artifact.type, json)) {
      for (const { value, at, label } of literalValues(server, path)) {
        for (const secret of findSecrets(value)) {
          const token = value.slice(secret.start, secret.end);
          const variable = label.startsWith("env.") ? label.slice(4) : "API_KEY";
          report({
            message: `The server ${JSON.stringify(name)} holds what looks like ${secret.service} (${maskSecret(token)}) in \`${label}\`: anyone who can read the repository can use it; revoke it and write "\${${variable}}" instead.`,
            span: spanInString(json, at, value, secret.start, secret.end),
          });
        }
      }
    }
  },
};

/** The text values of a server where a key could be written, with where each stands and how to name it. */
function literalValues(server: Record<string, unknown>, path: JsonPath): { value: string; at: JsonPath; label: string }[] {
  const out: { value: string; at: JsonPath; label: string }[] = [];
  for (const field of ["env", "headers"] as const) {
    const map = server[field];
    if (!isObject(map)) continue;
    for (const [key, value] of Object.entries(map)) if (typeof value === "string") out.push({ value, at: [...path, field, key], label: `${field}.${key}` });
  }
  if (Array.isArray(server.args)) server.args.forEach((arg, i) => typeof arg === "string" && out.push({ value: arg, at: [...path, "args", i], label: `args[${i}]` }));
  if (typeof server.url === "string") out.push({ value: server.url, at: [...path, "url"], label: "url" });
  return out;
}
