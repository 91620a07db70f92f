import { thousands } from "../../parse/text.js";
import type { Rule } from "../types.js";
import { codePoints, SPEC, specFields } from "../_shared/skill-spec.js";

export const MAX_DESCRIPTION = 1024;

export const skillDescriptionLength: Rule = {
  id: "skill/description-length",
  description: `A skill's \`description\` is at most ${thousands(MAX_DESCRIPTION)} characters, counted as written (a block scalar's final line break counts).`,
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Shorten the description; move details into the body of SKILL.md, which the agent reads when it uses the skill.",
  example: { file: "skills/pdf/SKILL.md", line: 3, column: 14, message: `The description is 1,068 characters; the limit is ${thousands(MAX_DESCRIPTION)}. Move details into the body.` },
  check(context) {
    const fields = specFields(context);
    const description = fields?.data.description;
    if (!fields || typeof description !== "string") return;
    const length = codePoints(description);
    if (length > MAX_DESCRIPTION) {
      context.report({ message: `The description is ${thousands(length)} characters; the limit is ${thousands(MAX_DESCRIPTION)}. Move details into the body.`, span: fields.locate("description", "value") });
    }
  },
};
