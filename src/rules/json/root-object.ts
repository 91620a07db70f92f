import { describeJsonType } from "../_shared/describe-json-type.js";
import { always, type Rule } from "../types.js";

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
