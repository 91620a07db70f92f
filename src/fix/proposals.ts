import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isExternalPath } from "../discover/paths.js";
import type { Finding, Report } from "../model.js";
import { MAX_MANIFEST_BYTES } from "../pipeline/read.js";
import { fixOf } from "../rules/fixes.js";
import type { FixLevel } from "../rules/types.js";
import { fitsText, sortedEdits, type FileFix } from "./edits.js";
import { fixText } from "./fix.js";

/** A file's text as the fixes see it (a BOM included), or null when it cannot be read. */
export type ReadText = (file: string) => string | null;

/** One finding's fix, shown rather than applied: its edits against the file's text as it is now. */
export interface ProposedFix {
  level: FixLevel;
  /** The text the edits' offsets count in. */
  text: string;
  /** Sorted, none overlapping. */
  edits: FileFix;
}

/** The fix a finding offers, as edits against the text of its file; null when it has none or the file cannot be read. */
export function proposedFix(finding: Finding, readText: ReadText): ProposedFix | null {
  const fix = fixOf(finding);
  if (!fix) return null;
  const text = readText(finding.file);
  if (text === null) return null;
  const edits = sortedEdits(fix.edits(text));
  return fitsText(text, edits) ? { level: fix.level, text, edits } : null;
}

/**
 * The texts of a report's files, read from its folder once each, when the scan read them from
 * disk; a report of fetched files has no folder to read, and external plugins' files are in
 * other repositories.
 */
export function reportTexts(report: Report): ReadText | null {
  if (report.metrics.strategy !== "workspace") return null;
  const cache = new Map<string, string | null>();
  return (file) => {
    if (isExternalPath(file)) return null;
    let text = cache.get(file);
    if (text === undefined) {
      text = readText(join(report.root, file));
      cache.set(file, text);
    }
    return text;
  };
}

function readText(path: string): string | null {
  try {
    if (statSync(path).size > MAX_MANIFEST_BYTES) return null;
    return fixText(readFileSync(path));
  } catch {
    return null;
  }
}
