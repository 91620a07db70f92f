import { FILE_START, LineIndex } from "../../parse/position.js";
import { withoutComments } from "../_shared/script-text.js";
import { always, type Rule } from "../types.js";

const META = /\bexport\s+const\s+meta\s*=\s*\{/;

export const workflowMeta: Rule = {
  id: "workflow/meta",
  description: "A workflow (`workflows/*.js` in a plugin) exports `meta` with a `name` and a `description`: `export const meta = { name: \"release\", description: \"…\" }`. Claude Code silently loads no workflow without them.",
  types: ["workflow"],
  reason: "missing_metadata",
  severity: always("error"),
  fix: "Add `export const meta = { name: \"<workflow>\", description: \"<what it does>\" };` at the top level of the file.",
  example: { file: "workflows/release.js", line: 1, column: 1, message: "The workflow exports no `meta`; Claude Code loads a workflow only with `export const meta = { name, description }`." },
  check({ script, report }) {
    if (!script) return;
    // Comments blanked (same length), so a commented-out meta is no meta and positions still hold.
    const code = withoutComments(script.text);
    const match = META.exec(code);
    if (!match) {
      report({ message: "The workflow exports no `meta`; Claude Code loads a workflow only with `export const meta = { name, description }`.", span: FILE_START });
      return;
    }
    const body = objectBody(code, match.index + match[0].length);
    const lines = new LineIndex(script.text);
    const at = lines.point(match.index);
    const span = { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + match[0].length };
    for (const field of ["name", "description"]) {
      // A literal, non-empty string: Claude Code reads meta without running the file.
      const value = new RegExp(`(?:^|[\\s,{])["']?${field}["']?\\s*:\\s*(?:"((?:\\\\.|[^"\\\\])*)"|'((?:\\\\.|[^'\\\\])*)'|\`((?:\\\\.|[^\`\\\\$])*)\`)`).exec(body);
      const text = value ? (value[1] ?? value[2] ?? value[3] ?? "") : null;
      if (text === null || text.trim() === "") {
        report({ message: `\`meta\` has no ${text === null ? "" : "non-empty "}\`${field}\` written as a string; Claude Code loads a workflow only when its meta has a name and a description.`, span });
      }
    }
  },
};

function objectBody(text: string, start: number): string {
  let depth = 1;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}
