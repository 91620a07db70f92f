import { FILE_START } from "../../parse/position.js";
import { describeValue } from "./frontmatter.js";
import { always, type Rule, type RuleContext } from "../types.js";

/**
 * A project subagent's fields as Claude Code reads them; `{}` when the file has no usable
 * frontmatter, null when the YAML is unreadable (frontmatter/yaml-unrepairable reports that).
 */
export function projectAgentFields(context: RuleContext): Record<string, unknown> | null {
  if (context.artifact.plugin !== null) return null;
  if (context.load.kind === "text" && context.load.parsed === null && context.load.problems.some((p) => p.kind === "empty")) return {};
  const view = context.markdown?.claude;
  if (!view) return null;
  if (view.yamlError && !view.repaired) return null;
  return view.data ?? {};
}

/** Project subagents load only with both fields; a plugin's agents fall back to the file name. */
export function projectAgentField(id: string, field: "name" | "description"): Rule {
  return {
    id,
    description: `A project subagent (outside any plugin) has a non-empty \`${field}\` in its frontmatter; Claude Code skips it otherwise. A plugin's agents load without one.`,
    types: ["agent"],
    reason: "missing_metadata",
    severity: always("error"),
    fix: field === "name" ? "Add `name: <agent-name>` to the frontmatter, usually the file name without `.md`." : "Add `description:` saying when Claude should hand work to this agent.",
    example: { file: ".claude/agents/reviewer.md", line: 1, column: 1, message: `The frontmatter has no \`${field}\` field; Claude Code skips a project subagent without it.` },
    check(context) {
      const data = projectAgentFields(context);
      if (!data) return;
      // Without a name Claude Code takes the file for a reference document and never looks further.
      if (field === "description" && !(typeof data.name === "string" && data.name.trim() !== "")) return;
      const value = data[field];
      if (typeof value === "string" && value.trim() !== "") return;
      const view = context.markdown?.claude;
      const present = field in data;
      context.report({
        message: present
          ? `\`${field}\` must be non-empty text, not ${describeValue(value)}; Claude Code skips a project subagent without it.`
          : `The frontmatter has no \`${field}\` field; Claude Code skips a project subagent without it.`,
        span: view ? view.locate(field, present ? "value" : "key") : FILE_START,
      });
    },
  };
}
