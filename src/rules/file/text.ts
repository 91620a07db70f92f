import type { TextProblemKind } from "../../parse/text.js";
import { always, type Rule, type RuleContext } from "../types.js";
import type { FailReasonCode } from "../../model.js";

function textRule(id: string, description: string, kinds: TextProblemKind[], reason: FailReasonCode): Rule {
  return {
    id,
    description,
    types: ["skill", "command", "agent", "hook", "mcp", "plugin", "marketplace"],
    reason,
    severity: always("error"),
    check({ load, report }: RuleContext) {
      if (load.kind !== "text") return;
      for (const problem of load.problems) {
        if (kinds.includes(problem.kind)) report({ message: problem.message, span: problem.span });
      }
    },
  };
}

export const fileText = textRule("file/text", "The file is UTF-8 text, not binary.", ["binary", "encoding"], "invalid_structure");
export const fileNotEmpty = textRule("file/not-empty", "The file is not empty.", ["empty"], "missing_metadata");
export const fileNoBom = textRule("file/no-bom", "The file has no byte order mark, which JSON parsers and frontmatter readers refuse.", ["bom"], "invalid_structure");
export const fileLineEndings = textRule("file/line-endings", "The file uses LF line endings.", ["line-endings"], "invalid_structure");
