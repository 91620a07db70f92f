import type { Rule } from "../types.js";
import { SPEC, specFields } from "../_shared/skill-spec.js";

export const SPEC_FIELDS = ["allowed-tools", "compatibility", "description", "license", "metadata", "name"];

export const skillAllowedFields: Rule = {
  id: "skill/allowed-fields",
  description: `SKILL.md frontmatter holds only the specification's fields: ${SPEC_FIELDS.map((f) => `\`${f}\``).join(", ")}.`,
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Move other keys under `metadata:` (a mapping of your own keys), or remove them.",
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 1, message: "The field `version` is not in the specification, which allows only allowed-tools, compatibility, description, license, metadata, name; move it under `metadata:`." },
  check(context) {
    const fields = specFields(context);
    if (!fields) return;
    for (const key of Object.keys(fields.data)) {
      if (SPEC_FIELDS.includes(key)) continue;
      context.report({ message: `The field \`${key}\` is not in the specification, which allows only ${SPEC_FIELDS.join(", ")}; move it under \`metadata:\`.`, span: fields.locate(key) });
    }
  },
};
