import type { Rule } from "../types.js";
import { codePoints, SPEC, specFields, specName } from "../_shared/skill-spec.js";

export const MAX_NAME = 64;

export const skillNameLength: Rule = {
  id: "skill/name-length",
  description: `A skill's \`name\` is at most ${MAX_NAME} characters (after NFKC normalisation).`,
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: `Shorten the name (and its folder) to ${MAX_NAME} characters or fewer.`,
  example: { file: "skills/x/SKILL.md", line: 2, column: 7, message: `The name "aaaa…" is 70 characters; the limit is ${MAX_NAME}.` },
  check(context) {
    const fields = specFields(context);
    const name = fields && specName(fields);
    if (!fields || name === null) return;
    const length = codePoints(name);
    if (length > MAX_NAME) context.report({ message: `The name ${JSON.stringify(name)} is ${length} characters; the limit is ${MAX_NAME}.`, span: fields.locate("name", "value") });
  },
};
