import { yamlErrorMessage } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";

export const frontmatterYaml: Rule = {
  id: "frontmatter/yaml",
  description: "Frontmatter is valid YAML as written. Claude Code retries YAML that is not after quoting values holding `: `, `#`, `[`, `{`, `@`, `*`, `|`, `>` and the like and expanding leading tabs, so under claude-code this warns when that repair works; strict readers refuse it.",
  types: ["skill", "agent", "command"],
  reason: "yaml_parse_error",
  severity: { "claude-code": "warning", agentskills: "error" },
  fix: "Quote values that hold `: `, `#`, `[`, `{` and other YAML punctuation (`description: \"Use when: ...\"`), or use a block scalar (`description: |`); indent with spaces, never tabs.",
  example: { file: ".claude/agents/reviewer.md", line: 3, column: 32, message: "The frontmatter is not valid YAML: Nested mappings are not allowed in compact mappings. Claude Code reads it only after quoting the value; other tools refuse it. Quote values that hold `: `, `#`, `[` or `{`." },
  check({ artifact, profile, markdown, report }) {
    if (!markdown) return;
    if (profile === "agentskills" && artifact.type === "skill") {
      for (const problem of markdown.spec.problems) {
        if (problem.kind === "yaml") report({ message: `${yamlErrorMessage(problem)} Quote values that hold \`: \`, \`#\`, \`[\` or \`{\`, or use a block scalar (\`description: |\`); indent with spaces.`, span: problem.span });
      }
      return;
    }
    const claude = markdown.claude;
    // Under claude-code only YAML that the repair fixes is this rule's; the rest is frontmatter/yaml-unrepairable's.
    if (claude.yamlError && (claude.repaired || profile === "agentskills")) {
      const how = claude.repaired ? " Claude Code reads it only after quoting values and expanding tabs; other tools refuse it." : "";
      report({ message: `${yamlErrorMessage(claude.yamlError)}${how} Quote values that hold \`: \`, \`#\`, \`[\` or \`{\`, or use a block scalar (\`description: |\`).`, span: claude.yamlError.span });
    }
  },
};
