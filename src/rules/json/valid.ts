import { always, type Rule } from "../types.js";

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
