import { FILE_START } from "../../parse/position.js";
import { describeValue } from "../frontmatter.js";
import { always, type Rule, type RuleContext } from "../types.js";

/**
 * A project subagent's fields as Claude Code reads them; `{}` when the file has no usable
 * frontmatter, null when the YAML is unreadable (frontmatter/yaml-unrepairable reports that).
 */
function projectAgentFields(context: RuleContext): Record<string, unknown> | null {
  if (context.artifact.plugin !== null) return null;
  if (context.load.kind === "text" && context.load.parsed === null && context.load.problems.some((p) => p.kind === "empty")) return {};
  const view = context.markdown?.claude;
  if (!view) return null;
  if (view.yamlError && !view.repaired) return null;
  return view.data ?? {};
}

/** Project subagents load only with both fields; a plugin's agents fall back to the file name. */
function projectAgentField(field: "name" | "description"): Rule {
  return {
    id: `agent/${field}-required`,
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

export const agentNameRequired = projectAgentField("name");
export const agentDescriptionRequired = projectAgentField("description");

export const MAX_AGENT_NAME = 256;

export const agentNameFormat: Rule = {
  id: "agent/name-format",
  description: `A project subagent's \`name\` does not start with \`-\`, holds no \`:\` and is at most ${MAX_AGENT_NAME} characters; Claude Code skips it otherwise.`,
  types: ["agent"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Use a plain name such as `code-reviewer`: no leading hyphen, no colon.",
  example: { file: ".claude/agents/reviewer.md", line: 2, column: 7, message: "The name \"team:reviewer\" holds a `:`, which Claude Code reserves for plugin namespaces; it skips this subagent." },
  check(context) {
    const data = projectAgentFields(context);
    const name = data?.name;
    if (typeof name !== "string" || name.trim() === "") return;
    const span = context.markdown?.claude.locate("name", "value") ?? FILE_START;
    if (name.startsWith("-")) context.report({ message: `The name ${JSON.stringify(name)} starts with \`-\`; Claude Code skips this subagent.`, span });
    if (name.includes(":")) context.report({ message: `The name ${JSON.stringify(name)} holds a \`:\`, which Claude Code reserves for plugin namespaces; it skips this subagent.`, span });
    if (name.length > MAX_AGENT_NAME) context.report({ message: `The name is ${name.length} characters; Claude Code skips a subagent whose name is over ${MAX_AGENT_NAME}.`, span });
  },
};
