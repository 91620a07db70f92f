import type { ArtifactType } from "../model.js";
import { sortResults } from "../pipeline/report.js";
import { type AllowEntry, editSkips, parseSkipFile, SKIP_FILE_PATH, type SkilldexConfig, type SkipEdit } from "./index.js";
import { KEY_SYNTAX, normalTarget, resolveTargets } from "./resolve.js";

/**
 * The skip command, whoever asks: `skilldex skip` and `skilldex unskip` on the command line, and
 * `/skip` and `/unskip` in a comment to the App. Both resolve what was typed against the artifacts
 * the artifacts stage found, and apply the result to the skip file's text; only where the text
 * comes from and goes to differs.
 */

export type SkipVerb = "skip" | "unskip";

/** What a skip command names, as the artifacts stage found them. */
export interface SkipTarget {
  key: string;
  path: string;
  type: ArtifactType;
}

/** What `skip X` or `unskip X` means, before anything is written. */
export type SkipResolution =
  | { kind: "keys"; keys: string[] }
  /** Nothing was given to skip. */
  | { kind: "missing" }
  /** Nothing matches; the nearest keys or paths, if any are near. */
  | { kind: "unknown"; suggestions: string[] }
  /** A bare name that several keys share: the key must be given. */
  | { kind: "ambiguous"; candidates: string[] }
  /** Artifacts whose names the skip file cannot hold as keys: nothing is written. */
  | { kind: "unwritable"; paths: string[] };

/**
 * Resolves a skip command: a key in any case of its type, a path (a folder covers every artifact
 * below it, a `SKILL.md` means its skill), or a bare name. A key `unskip` finds in the skip file
 * stays removable after its artifact is gone, in the case written there.
 */
export function resolveSkipCommand(verb: SkipVerb, target: string | null, artifacts: readonly SkipTarget[], config: SkilldexConfig): SkipResolution {
  if (target === null || target.trim() === "") return { kind: "missing" };
  const wanted = normalTarget(target);
  if (verb === "unskip" && KEY_SYNTAX.test(wanted)) {
    const listed = config.skip.find((entry) => entry.key === wanted) ?? config.skip.find((entry) => entry.key.toLowerCase() === wanted.toLowerCase());
    if (listed) return { kind: "keys", keys: [listed.key] };
  }
  // The report's order, so that a folder's keys are listed as a scan lists them.
  const sorted = [...artifacts];
  sortResults(sorted);
  const resolution = resolveTargets(wanted, sorted);
  if (resolution.keys.length === 0) {
    return resolution.ambiguous ? { kind: "ambiguous", candidates: resolution.suggestions } : { kind: "unknown", suggestions: resolution.suggestions };
  }
  const unwritable = resolution.keys.filter((key) => !KEY_SYNTAX.test(key));
  if (unwritable.length > 0) {
    const refused = new Set(unwritable);
    return { kind: "unwritable", paths: [...new Set(sorted.filter((a) => refused.has(a.key)).map((a) => a.path))] };
  }
  return { kind: "keys", keys: resolution.keys };
}

/**
 * Why the App and the CLI refuse an unwritable resolution, naming the first path with `quote`
 * (a code span in a comment, an escaped string on a terminal).
 */
export function unwritableMessage(paths: readonly string[], quote: (text: string) => string): string {
  const more = paths.length > 1 ? ` (and ${paths.length - 1} more)` : "";
  return `${quote(paths[0] ?? "")}${more} cannot be recorded in ${SKIP_FILE_PATH}: a key cannot hold a control character (such as a line break) or start or end with a space. Rename the folder or file, or list it under ${quote("exclude")} by hand`;
}

/** One resolved command: a skip or unskip of the keys it names, changed together, or an approval of one capability. */
export type SkipChange = SkipOrUnskip | AllowChange;

/** An approval to record, resolved by resolveAllowCommand: its one key, and the entry. */
export interface AllowChange {
  verb: "allow";
  keys: [string];
  entry: AllowEntry;
}

/** A skip or unskip: the keys it names, changed together, and who asked when and where. */
export interface SkipOrUnskip {
  verb: SkipVerb;
  keys: string[];
  /** For a skip: why, who, when and where, as its entries record it. */
  reason: string | null;
  by: string | null;
  at: string;
  ref: string | null;
}

/** What one change did: the keys it changed and the keys that already were so. */
export interface SkipChangeResult {
  changed: string[];
  unchanged: string[];
}

/** `skip-preferences: false` in the file the change would edit: commands are refused. */
export class SkipPreferencesDisabled extends Error {
  constructor() {
    super(`skip preferences are disabled in this repository (skip-preferences: false in ${SKIP_FILE_PATH})`);
    this.name = "SkipPreferencesDisabled";
  }
}

/**
 * Applies changes, in order, to the skip file's text (null: no file yet), in one edit and one
 * check of the result however many keys, keeping every comment and the key order.
 * Throws SkipPreferencesDisabled when the file turns skip preferences off, and SkipEditError
 * (from editSkips) when the result could not be written.
 */
export function applySkipChanges(text: string | null, changes: readonly SkipChange[]): { text: string; changed: boolean; results: SkipChangeResult[] } {
  const edits = changes.flatMap((change): SkipEdit[] => {
    if (change.verb === "allow") return [{ verb: "allow", entry: change.entry }];
    return change.keys.map((key): SkipEdit => (change.verb === "skip" ? { verb: "skip", entry: { key, reason: change.reason, by: change.by, at: change.at, ref: change.ref } } : { verb: "unskip", key }));
  });
  if (text !== null && !parseSkipFile(text).skipPreferences) throw new SkipPreferencesDisabled();
  const edited = editSkips(text, edits);
  let i = 0;
  const results = changes.map((change) => {
    const result: SkipChangeResult = { changed: [], unchanged: [] };
    for (const key of change.keys) (edited.applied[i++] ? result.changed : result.unchanged).push(key);
    return result;
  });
  return { text: edited.text, changed: edited.changed, results };
}
