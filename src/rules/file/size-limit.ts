import { ARTIFACT_TYPES } from "../../model.js";
import { FILE_START } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

export const fileSizeLimit: Rule = {
  id: "file/size-limit",
  fix: "Keep manifests and frontmatter files small; move large reference material into separate files the skill points at.",
  example: { file: "skills/data/SKILL.md", line: 1, column: 1, message: "The file is 1.4 MiB, over the 1.0 MiB limit for a manifest; it was not read." },
  description: "A manifest or frontmatter file stays under the size cap (1 MiB), so a stray data file cannot stall a scan.",
  types: ARTIFACT_TYPES,
  reason: "too_large",
  severity: always("error"),
  check({ load, report }) {
    if (load.kind === "too_large") {
      report({ message: `The file is ${formatBytes(load.size)}, over the ${formatBytes(load.limit)} limit for a manifest; it was not read.`, span: FILE_START });
    }
  },
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
