import { ARTIFACT_TYPES } from "../../model.js";
import { FILE_START } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

export const fileReadable: Rule = {
  id: "file/readable",
  fix: "Check that the file exists and is readable; a symlink must point at a file inside the repository.",
  example: { file: ".claude/commands/ghost.md", line: 1, column: 1, message: "The file cannot be read: ENOENT: no such file or directory." },
  description: "The artifact's main file can be read.",
  types: ARTIFACT_TYPES,
  reason: "io_error",
  severity: always("error"),
  check({ load, report }) {
    if (load.kind === "io_error") report({ message: `The file cannot be read: ${load.message}.`, span: FILE_START });
  },
};
