import { always } from "../types.js";
import { textRule } from "../_shared/text-rule.js";

export const fileText = textRule({
  id: "file/text",
  description: "The file is UTF-8 text, not binary.",
  kinds: ["binary", "encoding"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Save the file as UTF-8.",
  example: { file: ".claude/agents/latin1.md", line: 2, column: 10, message: "The file is not valid UTF-8 (first bad byte at offset 13); save it as UTF-8." },
});
