import { FILE_START } from "../../parse/position.js";
import { exportsName } from "../_shared/script-text.js";
import { always, type Rule } from "../types.js";

export const moduleRegister: Rule = {
  id: "module/register",
  description: "A hooks module (a script a hooks file names under `modules`) exports a `register` function, `export function register(on, options) { … }`; Claude Code refuses the plugin's hooks file otherwise.",
  types: ["module"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Export the entry point: `export function register(on, options) { on(\"SessionStart\", hook); }`.",
  example: { file: "hooks/register.js", line: 1, column: 1, message: "The hooks module exports no `register`; Claude Code refuses the hooks file that names it." },
  check({ script, report }) {
    if (!script || exportsName(script.text, "register")) return;
    report({ message: "The hooks module exports no `register`; Claude Code refuses the hooks file that names it.", span: FILE_START });
  },
};
