import { basename } from "../../discover/paths.js";
import type { Rule } from "../types.js";
import { lowercaseNameFix, nfkc, SPEC, specFields, specName } from "../_shared/skill-spec.js";
import { withFix } from "../_shared/fix-text.js";

export const skillNameMatchesDirectory: Rule = {
  id: "skill/name-matches-directory",
  description: "A skill's `name` equals the name of the folder that holds SKILL.md (both NFKC-normalised).",
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Rename the folder or change `name` so the two are the same.",
  fixable: "safe",
  example: { file: "skills/pdf/SKILL.md", line: 2, column: 7, message: "The name \"pdf-tools\" differs from the folder name \"pdf\"; rename one so they match." },
  check(context) {
    const fields = specFields(context);
    const name = fields && specName(fields);
    if (!fields || name === null || context.artifact.path === "") return;
    const folder = basename(context.artifact.path);
    if (nfkc(folder) !== name) {
      context.report({ message: `The name ${JSON.stringify(name)} differs from the folder name ${JSON.stringify(folder)}; rename one so they match.`, span: fields.locate("name", "value"), ...withFix(lowercaseNameFix(context, fields, name)) });
    }
  },
};
