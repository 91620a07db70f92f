import { FILE_START } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

export const fileReadable: Rule = {
  id: "file/readable",
  description: "The artifact's main file can be read.",
  types: ["skill", "command", "agent", "hook", "mcp", "plugin", "marketplace"],
  reason: "io_error",
  severity: always("error"),
  check({ load, report }) {
    if (load.kind === "io_error") report({ message: `The file cannot be read: ${load.message}.`, span: FILE_START });
  },
};
