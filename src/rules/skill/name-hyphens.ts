import type { Rule } from "../types.js";
import { SPEC, specFields, specName } from "../_shared/skill-spec.js";

export const skillNameHyphens: Rule = {
  id: "skill/name-hyphens",
  description: "A skill's `name` neither starts nor ends with a hyphen, and has no two hyphens in a row.",
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Use single hyphens between words only: `pdf-tools`, not `-pdf-tools-` or `pdf--tools`.",
  example: { file: "skills/pdf--tools/SKILL.md", line: 2, column: 7, message: "The name \"pdf--tools\" has two hyphens in a row; use one (\"pdf-tools\")." },
  check(context) {
    const fields = specFields(context);
    const name = fields && specName(fields);
    if (!fields || name === null) return;
    const span = fields.locate("name", "value");
    if (name.startsWith("-") || name.endsWith("-")) {
      context.report({ message: `The name ${JSON.stringify(name)} ${name.startsWith("-") ? "starts" : "ends"} with a hyphen; hyphens go only between words (${JSON.stringify(name.replace(/^-+|-+$/g, ""))}).`, span });
    }
    if (name.includes("--")) context.report({ message: `The name ${JSON.stringify(name)} has two hyphens in a row; use one (${JSON.stringify(name.replace(/-{2,}/g, "-"))}).`, span });
  },
};
