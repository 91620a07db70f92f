import { describeValue } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";
import { SPEC, specFields } from "../_shared/skill-spec.js";

export const skillDescriptionRequired: Rule = {
  id: "skill/description-required",
  description: "SKILL.md frontmatter has a `description` that is non-empty text.",
  types: ["skill"],
  reason: "missing_metadata",
  severity: SPEC,
  fix: "Add `description:` saying what the skill does and when to use it, in up to 1,024 characters.",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "The frontmatter has no `description`; it tells the agent what the skill does and when to use it." },
  check(context) {
    const fields = specFields(context);
    if (!fields) return;
    if (!("description" in fields.data)) {
      context.report({ message: "The frontmatter has no `description`; it tells the agent what the skill does and when to use it.", span: fields.locate("description") });
      return;
    }
    const description = fields.data.description;
    if (typeof description !== "string" || description.trim() === "") {
      context.report({ message: `\`description\` must be non-empty text, not ${describeValue(description)}; say what the skill does and when to use it.`, span: fields.locate("description", "value"), reason: "invalid_field" });
    }
  },
};
