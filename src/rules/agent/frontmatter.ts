import { frontmatterFields, reportFrontmatterProblems, stringField } from "../frontmatter.js";
import { always, type Rule } from "../types.js";

export const agentFrontmatter: Rule = {
  id: "agent/frontmatter",
  description: "A subagent file starts with YAML frontmatter that parses to a mapping; Claude Code skips one that does not.",
  types: ["agent"],
  reason: "missing_metadata",
  severity: always("error"),
  check(context) {
    reportFrontmatterProblems(context, false);
  },
};

/** Project subagents load only with both fields; a plugin's agents fall back to the file name. */
function projectAgentField(field: "name" | "description"): Rule {
  return {
    id: `agent/${field}-required`,
    description: `A project subagent (outside any plugin) has a non-empty \`${field}\` in its frontmatter; Claude Code skips it otherwise.`,
    types: ["agent"],
    reason: "missing_metadata",
    severity: always("error"),
    check(context) {
      const { artifact, markdown, report } = context;
      const data = frontmatterFields(context);
      if (artifact.plugin !== null || !markdown || !data) return;
      if (stringField(data, field) !== null) return;
      const present = field in data;
      report({
        message: present
          ? `The \`${field}\` field is empty or not text; Claude Code skips a subagent without it.`
          : `The frontmatter has no \`${field}\` field; Claude Code skips a subagent without it.`,
        span: markdown.locate(field, present ? "value" : "key"),
      });
    },
  };
}

export const agentNameRequired = projectAgentField("name");
export const agentDescriptionRequired = projectAgentField("description");
