import { dirname, resolveRelative } from "../../discover/paths.js";
import { isObject } from "../../manifest/json.js";
import type { Span } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

export const hookModulesExist: Rule = {
  id: "hook/modules-exist",
  description: "Every hooks module a hooks file names under `modules` is a `./`-relative path to a file that exists beside the hooks file; Claude Code refuses the hooks file (and a marketplace listing its plugin) otherwise.",
  types: ["hook"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Correct the path, relative to the hooks file (`\"modules\": [\"./register.js\"]`), or add the module.",
  example: { file: "hooks/hooks.json", line: 2, column: 15, message: "The hooks module \"./register.js\" is not there (no hooks/register.js); Claude Code refuses this hooks file." },
  check({ artifact, json, files, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.modules)) return;
    json.value.modules.forEach((module, i) => {
      // Positions are found in the text on first use: only a finding asks for one.
      const span = (): Span => json.locate(["modules", i]);
      if (typeof module !== "string" || !module.startsWith("./") || module.split("/").includes("..")) {
        report({ message: `Each hooks module is a path starting with "./", relative to the hooks file, not ${JSON.stringify(module)}; Claude Code refuses this hooks file.`, span: span() });
        return;
      }
      const path = resolveRelative(dirname(artifact.path), module);
      if (path === null || !files.has(path)) report({ message: `The hooks module ${JSON.stringify(module)} is not there (no ${path ?? module}); Claude Code refuses this hooks file.`, span: span() });
    });
  },
};
