import { isObject } from "../../manifest/json.js";
import { localPluginSources } from "../../manifest/marketplace.js";
import type { Rule } from "../types.js";

export const marketplaceLocalSources: Rule = {
  id: "marketplace/local-source-exists",
  description: "Every plugin a marketplace lists by a relative path is a folder that exists in the repository.",
  types: ["marketplace"],
  reason: "broken_reference",
  // Claude Code's validator accepts a listing whose folder is missing; installing it then fails.
  severity: { "claude-code": "warning", agentskills: "error" },
  fix: "Correct the `source` path, add the plugin folder, or remove the entry.",
  example: { file: ".claude-plugin/marketplace.json", line: 5, column: 33, message: "The source \"./plugins/gone\" points at plugins/gone, which holds no files; installing this plugin will fail." },
  check({ artifact, json, files, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    for (const { index, source, dir } of localPluginSources(artifact.path, json.value)) {
      if (dir !== null && !source.split("/").includes("..") && !files.hasFolder(dir)) {
        report({ message: `The source ${JSON.stringify(source)} points at ${dir || "."}, which holds no files; installing this plugin will fail.`, span: json.locate(["plugins", index, "source"]) });
      }
    }
  },
};
