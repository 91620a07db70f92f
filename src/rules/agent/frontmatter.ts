import { reportMissingFrontmatter } from "../_shared/frontmatter.js";
import { always, type Rule } from "../types.js";

export const agentFrontmatter: Rule = {
  id: "agent/frontmatter",
  description: "A subagent file starts with a frontmatter block between `---` lines. A plugin's agent loads without one (named after its file); a project subagent without one is skipped (see agent/name-required).",
  types: ["agent"],
  reason: "missing_metadata",
  severity: always("warning"),
  fix: "Start the file with `---`, then `name:` and `description:` lines, then a closing `---` line.",
  example: { file: ".claude/agents/reviewer.md", line: 1, column: 1, message: "The file has no frontmatter block: it must start with a `---` line and close with another `---`." },
  check: reportMissingFrontmatter,
};
