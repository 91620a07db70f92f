import type { Rule } from "../types.js";
import { SPEC, specFields, specName } from "../_shared/skill-spec.js";

/** Python's `str.isalnum` on one character: letters and numbers of any script, no combining marks. */
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

export const skillNameCharacters: Rule = {
  id: "skill/name-characters",
  description: "A skill's `name` holds only letters, digits and hyphens (letters and digits of any script; no spaces, underscores, dots or combining marks).",
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Replace spaces, underscores, dots and other symbols with hyphens, and rename the folder to match.",
  example: { file: "skills/pdf_tools/SKILL.md", line: 2, column: 7, message: "The name \"pdf_tools\" has characters other than letters, digits and hyphens: \"_\"." },
  check(context) {
    const fields = specFields(context);
    const name = fields && specName(fields);
    if (!fields || name === null) return;
    const bad = [...new Set([...name].filter((c) => c !== "-" && !LETTER_OR_NUMBER.test(c)))];
    if (bad.length === 0) return;
    const shown = bad.map((c) => (/\s/.test(c) ? "a space" : /\p{M}/u.test(c) ? `the combining mark U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}` : JSON.stringify(c)));
    context.report({ message: `The name ${JSON.stringify(name)} has characters other than letters, digits and hyphens: ${shown.join(", ")}.`, span: fields.locate("name", "value") });
  },
};
