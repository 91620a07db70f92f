import { reportMissingFrontmatter } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";

export const skillFrontmatter: Rule = {
  id: "skill/frontmatter",
  description: "SKILL.md starts with a frontmatter block between `---` lines. The specification's validator needs `---` as the very first characters (no BOM, no blank line) and closes the block at the next `---`, even mid-line.",
  types: ["skill"],
  reason: "missing_metadata",
  // Claude Code still loads such a skill, with empty metadata; the specification refuses it.
  severity: { "claude-code": "warning", agentskills: "error" },
  fix: "Start the file with `---`, then `name:` and `description:` lines, then a closing `---` line; keep `---` out of values.",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "SKILL.md must start with YAML frontmatter: a `---` line at the very top of the file." },
  check: reportMissingFrontmatter,
};
