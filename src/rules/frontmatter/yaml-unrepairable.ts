import { yamlErrorMessage } from "../_shared/frontmatter.js";
import type { Rule } from "../types.js";

export const frontmatterYamlUnrepairable: Rule = {
  id: "frontmatter/yaml-unrepairable",
  description: "Frontmatter parses as YAML at least after Claude Code's repair (quoting values with special characters, expanding leading tabs). When it does not, Claude Code drops every field: a skill or command loads with empty metadata, a plugin agent under its file name, and a project agent not at all.",
  types: ["skill", "agent", "command"],
  reason: "yaml_parse_error",
  severity: { "claude-code": "error", agentskills: "off" },
  fix: "Fix the YAML at the position shown: indent nested lines consistently with spaces and close every quote and bracket.",
  example: { file: "skills/pdf/SKILL.md", line: 3, column: 14, message: "The frontmatter is not valid YAML: Missing closing \"quote. Claude Code drops every field of this skill." },
  check({ artifact, markdown, report }) {
    const claude = markdown?.claude;
    if (!claude?.yamlError || claude.repaired) return;
    const effect = artifact.type !== "agent" ? `Claude Code drops every field of this ${artifact.type}.` : artifact.plugin ? "Claude Code loads this agent under its file name and drops every field." : "Claude Code skips this agent.";
    report({ message: `${yamlErrorMessage(claude.yamlError)} ${effect}`, span: claude.yamlError.span });
  },
};
