import { editSkips, parseSkipFile, type SkipEdit } from "../src/skips/index.js";

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

/** One key's edit of the skip file. */
export type KeyEdit = SkipEdit;

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

/** The key edits of one comment's changes, in the order it lists them. */
export function keyEdits(changes: readonly PlannedChange[], requester: Requester): KeyEdit[] {
  return changes.flatMap((change) =>
    change.keys.map((key): KeyEdit =>
      change.verb === "skip" ? { verb: "skip", entry: { key, reason: change.reason, by: requester.login, at: requester.at, ref: requester.ref } } : { verb: "unskip", key },
    ),
  );
}

/**
 * Applies key edits, in order, to the skip file's text (null: no file yet), saying for each
 * whether it changed anything: one parse and one check of the result, however many keys.
 */
export async function editSkipFile(text: string | null, edits: readonly KeyEdit[]): Promise<{ text: string; changed: boolean[] }> {
  if (text !== null && !parseSkipFile(text).skipPreferences) throw new SkipPreferencesDisabled();
  const edited = editSkips(text, edits);
  return { text: edited.text, changed: edited.applied };
}

/** What one comment's changes did, from the flags of its key edits (as keyEdits listed them). */
export function editOutcome(changes: readonly PlannedChange[], flags: readonly boolean[], text: string): EditOutcome {
  let i = 0;
  const results = changes.map((change) => {
    const result = { changed: [] as string[], unchanged: [] as string[] };
    for (const key of change.keys) (flags[i++] ? result.changed : result.unchanged).push(key);
    return result;
  });
  return { text, changed: flags.some(Boolean), results };
}

/** What one comment's commit says: the keys it changed, and who asked where. */
export interface CommitPart {
  skip: string[];
  unskip: string[];
  /** `@octocat in #42`. */
  by: string;
}

export function commitPart(changes: readonly PlannedChange[], outcome: EditOutcome, requester: Requester): CommitPart {
  const changedBy = (verb: "skip" | "unskip") => [...new Set(changes.flatMap((change, i) => (change.verb === verb ? (outcome.results[i]?.changed ?? []) : [])))];
  return { skip: changedBy("skip"), unskip: changedBy("unskip"), by: `@${requester.login} in ${requester.ref}` };
}

/** Past this, a commit's first line counts the keys instead of listing them. */
const SUBJECT_LENGTH = 200;

/**
 * `skilldex: skip skill:legacy-pdf (requested by @octocat in #42)`. Several comments written in
 * one commit share the first line, and each has a line of its own below it.
 */
export function commitMessage(parts: readonly CommitPart[]): string {
  const line = (skip: string[], unskip: string[], by: string[], count: boolean): string => {
    const verbs: string[] = [];
    if (skip.length > 0) verbs.push(`skip ${count ? artifacts(skip.length) : skip.join(", ")}`);
    if (unskip.length > 0) verbs.push(`unskip ${count ? artifacts(unskip.length) : unskip.join(", ")}`);
    return `skilldex: ${verbs.join("; ")} (requested by ${by.join(", ")})`;
  };
  const all = (verb: "skip" | "unskip") => [...new Set(parts.flatMap((part) => part[verb]))];
  const by = [...new Set(parts.map((part) => part.by))];
  const listed = line(all("skip"), all("unskip"), by, false);
  if (listed.length <= SUBJECT_LENGTH && parts.length === 1) return listed;
  const subject = listed.length <= SUBJECT_LENGTH ? listed : line(all("skip"), all("unskip"), by.length > 3 ? [`${by.length} comments`] : by, true);
  if (parts.length === 1) {
    const [part] = parts as [CommitPart];
    return [subject, "", ...part.skip.map((key) => `- skip ${key}`), ...part.unskip.map((key) => `- unskip ${key}`)].join("\n");
  }
  return [subject, "", ...parts.map((part) => line(part.skip, part.unskip, [part.by], false).replace(/^skilldex: /, "- "))].join("\n");
}

function artifacts(n: number): string {
  return n === 1 ? "1 artifact" : `${n} artifacts`;
}
