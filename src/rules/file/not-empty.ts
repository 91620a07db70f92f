import { always } from "../types.js";
import { textRule, warnUnderBoth } from "../_shared/text-rule.js";

export const fileNotEmpty = textRule({
  id: "file/not-empty",
  description: "The file is not empty. An empty JSON manifest is invalid JSON; an empty SKILL.md has no frontmatter, which the specification refuses and Claude Code loads with no metadata.",
  kinds: ["empty"],
  reason: "missing_metadata",
  severity: always("error"),
  severityByType: { skill: { "claude-code": "warning" }, command: warnUnderBoth, agent: warnUnderBoth },
  fix: "Write the file's content, or delete it.",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "The file is empty." },
});
