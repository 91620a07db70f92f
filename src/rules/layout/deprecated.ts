import { basename, dirname } from "../../discover/paths.js";
import { FILE_START } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

/**
 * The folder-per-component layout: a command or agent in its own folder named after it
 * (`commands/deploy/deploy.md`, `agents/reviewer/index.md`) instead of one file per component.
 */
export const layoutDeprecated: Rule = {
  id: "layout/deprecated",
  description: "Commands and agents use the current layout: one Markdown file each, directly in `commands/` or `agents/` (subfolders only as namespaces). A folder per command or agent (`commands/deploy/deploy.md`, `agents/reviewer/index.md`) is the older layout; a command that needs files of its own is better written as a skill (`skills/<name>/SKILL.md`).",
  types: ["command", "agent"],
  reason: "invalid_structure",
  severity: always("warning"),
  fix: "Move `commands/deploy/deploy.md` to `commands/deploy.md` (or make it a skill, `skills/deploy/SKILL.md`, if it has supporting files); move `agents/reviewer/index.md` to `agents/reviewer.md`.",
  example: { file: "commands/deploy/deploy.md", line: 1, column: 1, message: "The command sits in a folder of its own (commands/deploy/deploy.md), an older layout; the current one is commands/deploy.md, or skills/deploy/SKILL.md when it has supporting files." },
  check({ artifact, report }) {
    const file = artifact.path;
    const folder = dirname(file);
    const stem = basename(file).replace(/\.md$/, "");
    const folderName = basename(folder);
    if (folderName === "commands" || folderName === "agents") return;
    if (stem !== folderName && stem.toLowerCase() !== "index") return;
    const parent = dirname(folder);
    const current = artifact.type === "command" ? `${parent}/${folderName}.md, or ${parent.replace(/commands$/, "skills")}/${folderName}/SKILL.md when it has supporting files` : `${parent}/${folderName}.md`;
    report({ message: `The ${artifact.type} sits in a folder of its own (${file}), an older layout; the current one is ${current}.`, span: FILE_START });
  },
};
