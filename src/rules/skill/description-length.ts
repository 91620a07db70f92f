import type { Rule } from "../types.js";
import { codePoints, SPEC, specFields } from "../_shared/skill-spec.js";

export const MAX_DESCRIPTION = 1024;

export const skillDescriptionLength: Rule = {
  id: "skill/description-length",
  // The texts that quote the limit are written when read: toLocaleString starts ICU (~15 ms), which a scan need not pay for.
  get description() {
    return `A skill's \`description\` is at most ${MAX_DESCRIPTION.toLocaleString("en-US")} characters, counted as written (a block scalar's final line break counts).`;
  },
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Shorten the description; move details into the body of SKILL.md, which the agent reads when it uses the skill.",
  get example() {
    return { file: "skills/pdf/SKILL.md", line: 3, column: 14, message: `The description is 1,068 characters; the limit is ${MAX_DESCRIPTION.toLocaleString("en-US")}. Move details into the body.` };
  },
  check(context) {
    const fields = specFields(context);
    const description = fields?.data.description;
    if (!fields || typeof description !== "string") return;
    const length = codePoints(description);
    if (length > MAX_DESCRIPTION) {
      context.report({ message: `The description is ${length.toLocaleString("en-US")} characters; the limit is ${MAX_DESCRIPTION.toLocaleString("en-US")}. Move details into the body.`, span: fields.locate("description", "value") });
    }
  },
};
