import { addSkip, parseSkipFile, removeSkip } from "../src/skips/index.js";

/** One `/skip` or `/unskip` after resolution: the keys it names, all of which it changes together. */
export interface PlannedChange {
  verb: "skip" | "unskip";
  keys: string[];
  reason: string | null;
}

export interface Requester {
  login: string;
  /** Where it was asked, such as `#42`. */
  ref: string;
  at: string;
}

export interface EditOutcome {
  text: string;
  changed: boolean;
  /** Per planned change, in order: the keys this edit changed and the keys that already were so. */
  results: { changed: string[]; unchanged: string[] }[];
}

/** `skip-preferences: false` in the file the edit would touch. */
export class SkipPreferencesDisabled extends Error {
  constructor() {
    super("skip preferences are disabled in this repository");
    this.name = "SkipPreferencesDisabled";
  }
}

/**
 * Applies every change of one comment to the skip file's text (null: no file yet). Pure, so a
 * write that lost a race can apply it again to whatever the file says now.
 */
export function applyChanges(text: string | null, changes: readonly PlannedChange[], requester: Requester): EditOutcome {
  if (text !== null && !parseSkipFile(text).skipPreferences) throw new SkipPreferencesDisabled();
  let current = text;
  let changed = false;
  const results = changes.map((change) => {
    const result = { changed: [] as string[], unchanged: [] as string[] };
    for (const key of change.keys) {
      const edit =
        change.verb === "skip"
          ? addSkip(current, { key, reason: change.reason, by: requester.login, at: requester.at, ref: requester.ref })
          : removeSkip(current, key);
      if (edit.changed) {
        current = edit.text;
        changed = true;
        result.changed.push(key);
      } else result.unchanged.push(key);
    }
    return result;
  });
  return { text: current ?? "", changed, results };
}

/** `skilldex: skip skill:legacy-pdf (requested by @octocat in #42)`. */
export function commitMessage(changes: readonly PlannedChange[], outcome: EditOutcome, requester: Requester): string {
  const parts: string[] = [];
  for (const verb of ["skip", "unskip"] as const) {
    const keys = changes.flatMap((change, i) => (change.verb === verb ? (outcome.results[i]?.changed ?? []) : []));
    if (keys.length > 0) parts.push(`${verb} ${[...new Set(keys)].join(", ")}`);
  }
  return `skilldex: ${parts.join("; ")} (requested by @${requester.login} in ${requester.ref})`;
}
