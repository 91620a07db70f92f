import { basename } from "../../discover/paths.js";
import { frontmatterFields } from "../frontmatter.js";
import type { Rule } from "../types.js";

export const skillNameMatchesDirectory: Rule = {
  id: "skill/name-matches-directory",
  description: "A skill's `name` equals the name of the folder that holds SKILL.md.",
  types: ["skill"],
  reason: "invalid_field",
  severity: { "claude-code": "warning", agentskills: "error" },
  check(context) {
    const { artifact, markdown, report } = context;
    const name = frontmatterFields(context)?.name;
    if (typeof name !== "string" || name.trim() === "" || artifact.path === "") return;
    const folder = basename(artifact.path);
    if (name.normalize("NFKC") !== folder.normalize("NFKC")) {
      report({
        message: `The name ${JSON.stringify(name)} differs from the folder name ${JSON.stringify(folder)}; rename one so they match.`,
        span: markdown!.locate("name", "value"),
      });
    }
  },
};
