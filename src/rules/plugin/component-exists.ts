import { resolveRelative } from "../../discover/paths.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";
import { componentPaths } from "../../manifest/plugin.js";

export const pluginComponentExists: Rule = {
  id: "plugin/component-exists",
  description: "Every component file or folder plugin.json names exists, and `skills` entries are folders that hold SKILL.md, not the file itself.",
  types: ["plugin"],
  reason: "broken_reference",
  severity: always("error"),
  fix: "Correct the path, add the missing file, or remove the entry.",
  example: { file: ".claude-plugin/plugin.json", line: 3, column: 17, message: "The commands path \"./commands/deploy.md\" points at nothing in the plugin folder; Claude Code reports a load failure." },
  check({ artifact, json, files, report }) {
    if (!json || !isObject(json.value)) return;
    for (const { field, extension, path, value } of componentPaths(json.value)) {
      if (typeof value !== "string" || !value.startsWith("./") || value.split("/").includes("..")) continue;
      if (extension && !value.endsWith(extension)) continue;
      const target = resolveRelative(artifact.path, value);
      if (target === null) continue;
      const isFile = files.has(target);
      if (field === "skills" && isFile) {
        const parent = `./${value.slice(2).split("/").slice(0, -1).join("/")}`;
        report({ message: `The skills entry ${JSON.stringify(value)} is a file; skills entries are folders holding SKILL.md: ${JSON.stringify(parent)}.`, span: json.locate(path), reason: "invalid_field" });
      } else if (!isFile && !files.hasFolder(target)) {
        report({ message: `The ${field} path ${JSON.stringify(value)} points at nothing in the plugin folder; Claude Code ${field === "mcpServers" ? "silently loads none of its servers" : "reports a load failure"}.`, span: json.locate(path) });
      }
    }
  },
};
