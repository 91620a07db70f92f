import { spanOffsets } from "../_shared/fix-text.js";
import { always, type Rule, type RuleFix } from "../types.js";
import type { Span } from "../../parse/position.js";

export const jsonValid: Rule = {
  id: "json/valid",
  fix: "Fix the JSON at the position shown: no comments, no trailing commas, double-quoted keys and strings.",
  fixable: "safe",
  example: { file: ".claude-plugin/plugin.json", line: 4, column: 1, message: "The file is not valid JSON: a trailing comma before `}` (JSON allows none)." },
  description: "A JSON manifest parses as strict JSON: no comments, no trailing commas.",
  types: ["hook", "mcp", "lsp", "monitor", "theme", "plugin", "marketplace"],
  reason: "json_parse_error",
  severity: always("error"),
  check({ load, report }) {
    if (load.kind !== "text" || load.parsed?.format !== "json") return;
    for (const problem of load.parsed.problems) {
      // The parse words a trailing comma apart from every other syntax error.
      report(problem.kind === "syntax" && problem.message.includes("a trailing comma before") ? { ...problem, fix: dropTrailingComma(problem.span) } : problem);
    }
  },
};

/**
 * The comma before the `}` or `]` the parse stopped at, when that is what stopped it: the value
 * is the same without it, and strict JSON readers take it. One comma at a time: the parse
 * reports the first problem only, and the next pass finds the next.
 */
function dropTrailingComma(span: Span): RuleFix {
  return {
    level: "safe",
    edits(text) {
      const { start } = spanOffsets(text, span);
      if (text[start] !== "}" && text[start] !== "]") return [];
      const before = text.slice(0, start).trimEnd();
      return before.endsWith(",") ? [{ start: before.length - 1, end: before.length, text: "" }] : [];
    },
  };
}
