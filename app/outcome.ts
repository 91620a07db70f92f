import type { SkipEntry } from "../src/skips/index.js";
import type { Command } from "./commands.js";
import type { Commit, PullRequestLink } from "./github.js";

/**
 * What became of a comment's commands, and where their changes went: the types the handler, the
 * write path, the answer and the metrics share, in a module that imports none of them.
 */

/** Who asked for a change, where and when. */
export interface Requester {
  login: string;
  /** Where it was asked, such as `#42`. */
  ref: string;
  at: string;
}

/** Where one comment's change goes and why, as the answer tells it. */
export type Delivery =
  | { kind: "none" }
  | { kind: "commit"; branch: string; commit: Commit }
  | { kind: "pull"; branch: string; base: string; pull: PullRequestLink; why: FallbackReason };

/** Why the app opened a pull request instead of committing to the conversation's branch. */
export type FallbackReason = "fork" | "protected" | "issue";

/** What one comment's commit says: the keys it changed, and who asked where. */
export interface CommitPart {
  skip: string[];
  unskip: string[];
  /** Approvals, each `<key> <capability>`. */
  allow: string[];
  /** `@octocat in #42`. */
  by: string;
}

/** What became of one command: what the answer says and what the log line records. */
export type Outcome =
  | { kind: "done"; command: Command; changed: string[]; unchanged: string[]; delivery: Delivery }
  | { kind: "already"; command: Command; keys: string[]; delivery: Delivery }
  | { kind: "listed"; command: Command; entries: SkipEntry[]; branch: string; fileExists: boolean }
  | { kind: "not_allowed"; command: Command; login: string; role: string }
  /** No key matched (the nearest are suggested), or a bare name several keys share (they are listed). */
  | { kind: "unknown"; command: Command; suggestions: string[]; truncated: boolean; ambiguous: boolean }
  | { kind: "usage"; command: Command; message: string }
  | { kind: "disabled"; command: Command; source: "environment" | "file" }
  | { kind: "malformed"; command: Command; problem: string }
  | { kind: "failed"; command: Command; message: string };

export type OutcomeKind = Outcome["kind"];

/** Outcomes after which the comment gets a rocket; anything else gets a confused face. */
const SUCCESSFUL: ReadonlySet<OutcomeKind> = new Set(["done", "already", "listed"]);

export function allSucceeded(outcomes: readonly Outcome[]): boolean {
  return outcomes.every((outcome) => SUCCESSFUL.has(outcome.kind));
}

/** The keys an outcome is about, for the log line. */
export function keysOf(outcome: Outcome): string[] {
  switch (outcome.kind) {
    case "done":
      return [...outcome.changed, ...outcome.unchanged];
    case "already":
      return outcome.keys;
    case "listed":
      return outcome.entries.map((entry) => entry.key);
    default:
      return [];
  }
}
