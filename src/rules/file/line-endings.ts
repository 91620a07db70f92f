import { always } from "../types.js";
import { textRule } from "../_shared/text-rule.js";

export const fileLineEndings = textRule({
  id: "file/line-endings",
  description: "The file uses LF line endings. Claude Code and the specification's validator both read CRLF, so this is only a notice.",
  kinds: ["line-endings"],
  reason: "invalid_structure",
  severity: always("notice"),
  fix: "Convert to LF, for example with `* text=auto eol=lf` in .gitattributes.",
  example: { file: ".claude/agents/win.md", line: 1, column: 4, message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes." },
});
