import type { Rule } from "../types.js";
import { lowercaseNameFix, SPEC, specFields, specName } from "../_shared/skill-spec.js";
import { withFix } from "../_shared/fix-text.js";

export const skillNameLowercase: Rule = {
  id: "skill/name-lowercase",
  description: "A skill's `name` is lowercase.",
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Write the name in lowercase, with hyphens between words, and rename the folder to match.",
  fixable: "safe",
  example: { file: "skills/pdf-tools/SKILL.md", line: 2, column: 7, message: "The name \"PDF-Tools\" has upper-case letters; names are lowercase (\"pdf-tools\")." },
  check(context) {
    const fields = specFields(context);
    const name = fields && specName(fields);
    if (!fields || name === null || name === name.toLowerCase()) return;
    context.report({ message: `The name ${JSON.stringify(name)} has upper-case letters; names are lowercase (${JSON.stringify(name.toLowerCase().replace(/\s+/g, "-"))}).`, span: fields.locate("name", "value"), ...withFix(lowercaseNameFix(context, fields, name)) });
  },
};
