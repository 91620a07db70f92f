import { escapeControls } from "../parse/text.js";
import type { SkipResolution } from "../skips/command.js";
import { UsageError } from "./usage.js";

/** A path or key as a message on the terminal shows it: quoted, with any control character escaped. */
export function quoted(text: string): string {
  return `"${escapeControls(text)}"`;
}

/** The error for a target that names no artifact, or several by one name, as skip, unskip and allow say it. */
export function unresolved(resolution: Extract<SkipResolution, { kind: "ambiguous" | "unknown" }>, wanted: string): UsageError {
  if (resolution.kind === "ambiguous") return new UsageError(`${quoted(wanted)} names more than one artifact: give the key, ${resolution.candidates.map(escapeControls).join(" or ")}`);
  const hint = resolution.suggestions.length ? `; did you mean ${resolution.suggestions.map(escapeControls).join(", ")}?` : "";
  return new UsageError(`no artifact matches ${quoted(wanted)}${hint}`);
}
