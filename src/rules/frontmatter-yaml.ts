import type { Rule } from "./types.js";

export const frontmatterYaml: Rule = {
  id: "frontmatter/yaml",
  description: "Frontmatter is valid YAML. Claude Code still reads the top-level lines of frontmatter that is not, so it only warns there; strict parsers refuse it.",
  types: ["skill", "agent", "command"],
  reason: "yaml_parse_error",
  severity: { "claude-code": "warning", agentskills: "error" },
  check({ markdown, report }) {
    for (const problem of markdown?.problems ?? []) {
      if (problem.kind !== "yaml") continue;
      report({ message: `${problem.message} Quote values that hold \`: \`, \`#\`, \`[\` or \`{\`, or use a block scalar (\`description: |\`).`, span: problem.span });
    }
  },
};
