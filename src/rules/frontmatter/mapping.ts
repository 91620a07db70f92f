import { frontmatterView, readsAsSpec } from "../_shared/frontmatter.js";
import { always, type Rule } from "../types.js";

export const frontmatterMapping: Rule = {
  id: "frontmatter/mapping",
  description: "Frontmatter is a mapping of `key: value` fields, not a list or a single value (nor, for the specification's validator, empty).",
  types: ["skill", "agent", "command"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Write one `key: value` line per field between the `---` lines.",
  example: { file: ".claude/agents/list.md", line: 2, column: 1, message: "The frontmatter must be a mapping of `key: value` fields, not a list." },
  check(context) {
    const spec = readsAsSpec(context);
    for (const problem of frontmatterView(context)?.problems ?? []) {
      if (problem.kind !== "not-mapping") continue;
      const what = problem.detail ?? "a single value";
      context.report({ message: spec ? `The frontmatter must be a mapping of \`key: value\` fields; it is ${what}.` : `The frontmatter must be a mapping of \`key: value\` fields, not ${what}.`, span: problem.span });
    }
  },
};
