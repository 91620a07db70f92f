import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

export { isObject };

export const jsonValid: Rule = {
  id: "json/valid",
  fix: "Fix the JSON at the position shown: no comments, no trailing commas, double-quoted keys and strings.",
  example: { file: ".claude-plugin/plugin.json", line: 4, column: 1, message: "The file is not valid JSON: a trailing comma before `}` (JSON allows none)." },
  description: "A JSON manifest parses as strict JSON: no comments, no trailing commas.",
  types: ["hook", "mcp", "lsp", "monitor", "theme", "plugin", "marketplace"],
  reason: "json_parse_error",
  severity: always("error"),
  check({ load, report }) {
    if (load.kind !== "text" || load.parsed?.format !== "json") return;
    for (const problem of load.parsed.problems) report(problem);
  },
};

export const jsonRootObject: Rule = {
  id: "json/root-object",
  fix: "Wrap the content in one JSON object: `{ ... }`.",
  example: { file: ".claude-plugin/plugin.json", line: 1, column: 1, message: "The file must hold a JSON object, not an array." },
  description: "A JSON manifest holds one object at its top level.",
  types: ["hook", "mcp", "lsp", "theme", "plugin", "marketplace"],
  reason: "invalid_structure",
  severity: always("error"),
  // Claude Code loads no servers from a .mcp.json that is not an object, and reports nothing.
  severityByType: { mcp: { "claude-code": "warning", agentskills: "warning" } },
  check({ json, report }) {
    if (!json) return;
    const value = json.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      report({ message: `The file must hold a JSON object, not ${describeJsonType(value)}.`, span: json.locate([]) });
    }
  },
};

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

