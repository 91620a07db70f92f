import { reportFrontmatterProblems } from "../frontmatter.js";
import type { Rule } from "../types.js";

export const skillFrontmatter: Rule = {
  id: "skill/frontmatter",
  description: "SKILL.md starts with YAML frontmatter between `---` lines that parses to a mapping.",
  types: ["skill"],
  reason: "missing_metadata",
  // Claude Code still loads such a skill, with empty metadata; the specification refuses it.
  severity: { "claude-code": "warning", agentskills: "error" },
  check(context) {
    reportFrontmatterProblems(context, false);
  },
};
