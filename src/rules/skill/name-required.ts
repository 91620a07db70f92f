import { describeValue } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";
import { SPEC, specFields } from "../_shared/skill-spec.js";

export const skillNameRequired: Rule = {
  id: "skill/name-required",
  description: "SKILL.md frontmatter has a `name` that is non-empty text.",
  types: ["skill"],
  reason: "missing_metadata",
  severity: SPEC,
  fix: "Add `name: <folder-name>` to the frontmatter: lowercase letters, digits and hyphens, the same as the skill's folder.",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "The frontmatter has no `name`; the specification requires one: lowercase letters, digits and hyphens, equal to the folder name (here \"pdf\")." },
  check(context) {
    const fields = specFields(context);
    if (!fields) return;
    const folder = context.artifact.path.split("/").pop() ?? "";
    if (!("name" in fields.data)) {
      context.report({ message: `The frontmatter has no \`name\`; the specification requires one: lowercase letters, digits and hyphens, equal to the folder name (here ${JSON.stringify(folder)}).`, span: fields.locate("name") });
      return;
    }
    const name = fields.data.name;
    if (typeof name !== "string" || name.trim() === "") {
      context.report({ message: `\`name\` must be non-empty text, not ${describeValue(name)}; use the folder name (here ${JSON.stringify(folder)}).`, span: fields.locate("name", "value"), reason: "invalid_field" });
    }
  },
};
