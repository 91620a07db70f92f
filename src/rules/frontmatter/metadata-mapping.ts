import { describeValue } from "../_shared/frontmatter.js";
import { always, type Rule } from "../types.js";

export const frontmatterMetadataMapping: Rule = {
  id: "frontmatter/metadata-mapping",
  description: "`metadata` in a skill or command is a mapping of your own keys; Claude Code drops any other value.",
  types: ["skill", "command"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Write `metadata:` followed by indented `key: value` lines.",
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 11, message: "`metadata` must be a mapping of `key: value` lines, not \"v1\"; Claude Code drops it." },
  check({ markdown, report }) {
    const view = markdown?.claude;
    const metadata = view?.data?.metadata;
    if (!view || metadata === undefined || metadata === null) return;
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      report({ message: `\`metadata\` must be a mapping of \`key: value\` lines, not ${describeValue(metadata)}; Claude Code drops it.`, span: view.locate("metadata", "value") });
    }
  },
};
