import { describeValue } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";
import { codePoints, SPEC, specFields } from "../_shared/skill-spec.js";

export const MAX_COMPATIBILITY = 500;

export const skillCompatibility: Rule = {
  id: "skill/compatibility",
  description: `A skill's \`compatibility\`, when present, is text of at most ${MAX_COMPATIBILITY} characters.`,
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: `Write \`compatibility\` as one string of up to ${MAX_COMPATIBILITY} characters, such as "Requires Python 3.11 and network access".`,
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 16, message: "`compatibility` must be text, not a list; write one string such as \"Requires Python 3.11\"." },
  check(context) {
    const fields = specFields(context);
    if (!fields || !("compatibility" in fields.data)) return;
    const value = fields.data.compatibility;
    const span = fields.locate("compatibility", "value");
    if (typeof value !== "string") {
      context.report({ message: `\`compatibility\` must be text, not ${describeValue(value)}; write one string such as "Requires Python 3.11".`, span });
    } else if (codePoints(value) > MAX_COMPATIBILITY) {
      context.report({ message: `\`compatibility\` is ${codePoints(value)} characters; the limit is ${MAX_COMPATIBILITY}.`, span });
    }
  },
};
