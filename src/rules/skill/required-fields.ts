import { frontmatterFields, stringField } from "../frontmatter.js";
import type { Rule, RuleContext } from "../types.js";

function requiredField(field: "name" | "description", why: string): Rule {
  return {
    id: `skill/${field}-required`,
    description: `SKILL.md frontmatter has a non-empty \`${field}\`: ${why}.`,
    types: ["skill"],
    reason: "missing_metadata",
    severity: { "claude-code": "warning", agentskills: "error" },
    check(context: RuleContext) {
      const { markdown, report } = context;
      const data = frontmatterFields(context);
      if (!markdown || !data) return;
      const present = field in data;
      if (stringField(data, field) !== null) return;
      report({
        message: present
          ? `The \`${field}\` field is empty or not text; ${why}.`
          : `The frontmatter has no \`${field}\` field; ${why}.`,
        span: present ? markdown.locate(field, "value") : markdown.locate(field),
      });
    },
  };
}

export const skillNameRequired = requiredField("name", "it names the skill, and must equal the folder name");
export const skillDescriptionRequired = requiredField("description", "it tells the agent what the skill does and when to use it");
