import type { StrictYamlProblem } from "../../parse/markdown.js";
import type { Rule } from "../types.js";
import { SPEC } from "../_shared/skill-spec.js";

export const skillStrictYaml: Rule = {
  id: "skill/strict-yaml",
  description: "SKILL.md frontmatter uses only the YAML that StrictYAML, the specification validator's reader, accepts: no flow collections (`[a, b]`, `{a: 1}`), anchors, aliases, tags or duplicate keys.",
  types: ["skill"],
  reason: "yaml_parse_error",
  severity: SPEC,
  fix: "Write lists as indented `- item` lines (or one comma-separated string), maps as indented `key: value` lines; drop `&anchors`, `*aliases` and `!!tags`; keep each key once.",
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 16, message: "StrictYAML refuses a flow sequence such as `[a, b]`; write one `- item` per indented line, or a comma-separated string." },
  check({ markdown, report }) {
    for (const problem of markdown?.spec.strict ?? []) report({ message: strictYamlMessage(problem), span: problem.span });
  },
};

function strictYamlMessage({ kind, detail }: StrictYamlProblem): string {
  switch (kind) {
    case "tab":
      return "A tab follows the `:`; StrictYAML refuses it. Use a space.";
    case "duplicate-key":
      return `The key \`${detail}\` appears twice; StrictYAML refuses duplicate keys. Keep one.`;
    case "alias":
      return `The alias \`*${detail}\` is refused by StrictYAML; repeat the value instead.`;
    case "anchor":
      return `The anchor \`&${detail}\` is refused by StrictYAML; remove it.`;
    case "tag":
      return `The tag \`${detail}\` is refused by StrictYAML; remove it (every value is read as text).`;
    case "flow":
      return detail === "mapping"
        ? "StrictYAML refuses a flow mapping such as `{a: 1}`; write one `key: value` per indented line."
        : "StrictYAML refuses a flow sequence such as `[a, b]`; write one `- item` per indented line, or a comma-separated string.";
  }
}
