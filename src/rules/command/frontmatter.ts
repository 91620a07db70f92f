import { reportMissingFrontmatter } from "../_shared/frontmatter.js";
import { always, type Rule } from "../types.js";

export const commandFrontmatter: Rule = {
  id: "command/frontmatter",
  description: "A slash command has a frontmatter block with at least a `description`; without one Claude Code reads the whole file as the prompt.",
  types: ["command"],
  reason: "missing_metadata",
  severity: always("warning"),
  fix: "Add a block such as `---\\ndescription: Deploy the current branch\\n---` at the top.",
  example: { file: ".claude/commands/deploy.md", line: 1, column: 1, message: "The file has no frontmatter block: it must start with a `---` line and close with another `---`." },
  check: reportMissingFrontmatter,
};
