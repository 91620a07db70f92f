import { describeValue } from "../_shared/frontmatter.js";
import { always, type Rule } from "../types.js";

const SHELLS = ["bash", "powershell"];

export const frontmatterFieldTypes: Rule = {
  id: "frontmatter/field-types",
  description: "Frontmatter fields Claude Code reads have the right type: `name` text; `description` text (a number or true/false passes); `allowed-tools` text or a list of text; `shell` (skills and commands) `bash` or `powershell`.",
  types: ["skill", "agent", "command"],
  reason: "invalid_field",
  severity: always("error"),
  // The specification's validator reads every value as text and checks none of these.
  severityByType: { skill: { agentskills: "warning" } },
  fix: "Quote the value so it is text, write lists as `- item` lines, and use `shell: bash` or `shell: powershell`.",
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 16, message: "`allowed-tools` must be text or a list of text, not a number (5)." },
  check(context) {
    const view = context.markdown?.claude;
    const data = view?.data;
    if (!view || !data) return;
    // Types come from Claude Code's reading whatever the profile: that is the reader that refuses them.
    const { artifact, report } = context;
    const name = data.name;
    if (name !== undefined && name !== null && typeof name !== "string") {
      report({ message: `\`name\` must be text, not ${describeValue(name)}; quote it.`, span: view.locate("name", "value") });
    }
    const description = data.description;
    if (description !== undefined && description !== null && typeof description === "object") {
      report({ message: `\`description\` must be text, not ${describeValue(description)}; Claude Code drops it. Write one string (a block scalar \`|\` for several lines).`, span: view.locate("description", "value") });
    }
    const tools = data["allowed-tools"];
    if (tools !== undefined && tools !== null) {
      if (typeof tools !== "string" && !Array.isArray(tools)) {
        report({ message: `\`allowed-tools\` must be text or a list of text, not ${describeValue(tools)}.`, span: view.locate("allowed-tools", "value") });
      } else if (Array.isArray(tools) && tools.some((t) => typeof t !== "string")) {
        const bad = tools.find((t) => typeof t !== "string");
        report({ message: `\`allowed-tools\` must list only text; it holds ${describeValue(bad)}. Quote each tool name.`, span: view.locate("allowed-tools", "value") });
      }
    }
    const shell = data.shell;
    if ((artifact.type === "skill" || artifact.type === "command") && shell !== undefined && shell !== null) {
      if (typeof shell !== "string" || !SHELLS.includes(shell.trim().toLowerCase())) {
        report({ message: `\`shell\` must be \`bash\` or \`powershell\`, not ${describeValue(shell)}.`, span: view.locate("shell", "value") });
      }
    }
  },
};
