import { FILE_START } from "../../parse/position.js";
import { projectAgentFields } from "../_shared/project-agent.js";
import { always, type Rule } from "../types.js";

const MAX_AGENT_NAME = 256;

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
