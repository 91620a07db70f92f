import { frontmatterRange, withFix } from "../_shared/fix-text.js";
import { yamlErrorMessage } from "../_shared/frontmatter.js";
import { repairYaml } from "../../parse/markdown.js";
import type { Rule, RuleFix, TextEdit } from "../types.js";

export const frontmatterYaml: Rule = {
  id: "frontmatter/yaml",
  description: "Frontmatter is valid YAML as written. Claude Code retries YAML that is not after quoting values holding `: `, `#`, `[`, `{`, `@`, `*`, `|`, `>` and the like and expanding leading tabs, so under claude-code this warns when that repair works; strict readers refuse it.",
  types: ["skill", "agent", "command"],
  reason: "yaml_parse_error",
  severity: { "claude-code": "warning", agentskills: "error" },
  fix: "Quote values that hold `: `, `#`, `[`, `{` and other YAML punctuation (`description: \"Use when: ...\"`), or use a block scalar (`description: |`); indent with spaces, never tabs.",
  fixable: "safe",
  example: { file: ".claude/agents/reviewer.md", line: 3, column: 32, message: "The frontmatter is not valid YAML: Nested mappings are not allowed in compact mappings. Claude Code reads it only after quoting the value; other tools refuse it. Quote values that hold `: `, `#`, `[` or `{`." },
  check({ artifact, profile, markdown, report }) {
    if (!markdown) return;
    const fix = markdown.claude.repaired ? WRITE_CLAUDE_REPAIR : undefined;
    if (profile === "agentskills" && artifact.type === "skill") {
      for (const problem of markdown.spec.problems) {
        if (problem.kind === "yaml") report({ message: `${yamlErrorMessage(problem)} Quote values that hold \`: \`, \`#\`, \`[\` or \`{\`, or use a block scalar (\`description: |\`); indent with spaces.`, span: problem.span, ...withFix(fix) });
      }
      return;
    }
    const claude = markdown.claude;
    // Under claude-code only YAML that the repair fixes is this rule's; the rest is frontmatter/yaml-unrepairable's.
    if (claude.yamlError && (claude.repaired || profile === "agentskills")) {
      const how = claude.repaired ? " Claude Code reads it only after quoting values and expanding tabs; other tools refuse it." : "";
      report({ message: `${yamlErrorMessage(claude.yamlError)}${how} Quote values that hold \`: \`, \`#\`, \`[\` or \`{\`, or use a block scalar (\`description: |\`).`, span: claude.yamlError.span, ...withFix(fix) });
    }
  },
};

/**
 * Writes out the repair Claude Code makes when it reads the frontmatter (values holding `: ` and
 * other YAML punctuation quoted, leading tabs expanded), line by line: the file then says as
 * valid YAML exactly what Claude Code already read from it, and every other line is untouched.
 */
const WRITE_CLAUDE_REPAIR: RuleFix = {
  level: "safe",
  edits(text) {
    const range = frontmatterRange(text);
    if (!range) return [];
    const yaml = text.slice(range.start, range.end);
    const before = yaml.split("\n");
    const after = repairYaml(yaml).split("\n");
    if (before.length !== after.length) return [];
    const edits: Omit<TextEdit, "file">[] = [];
    let offset = range.start;
    before.forEach((line, i) => {
      const repaired = after[i] as string;
      if (repaired !== line) edits.push({ start: offset, end: offset + line.length, text: repaired });
      offset += line.length + 1;
    });
    return edits;
  },
};
