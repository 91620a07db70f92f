import { reportFrontmatterProblems } from "../frontmatter.js";
import { always, type Rule } from "../types.js";

export const commandFrontmatter: Rule = {
  id: "command/frontmatter",
  description: "A slash command's frontmatter, when it has one, is closed and parses to a mapping.",
  types: ["command"],
  reason: "yaml_parse_error",
  // Claude Code reads a command without usable frontmatter as a plain prompt.
  severity: always("warning"),
  check(context) {
    reportFrontmatterProblems(context, true);
  },
};
