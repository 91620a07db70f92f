import type { SkipEntry } from "../src/skips/index.js";
import type { Command } from "./commands.js";
import type { Delivery } from "./write.js";

/** What became of one command: what the answer says and what the log line records. */
export type Outcome =
  | { kind: "done"; command: Command; changed: string[]; unchanged: string[]; delivery: Delivery }
  | { kind: "already"; command: Command; keys: string[]; delivery: Delivery }
  | { kind: "listed"; command: Command; entries: SkipEntry[]; branch: string; fileExists: boolean }
  | { kind: "not_allowed"; command: Command; login: string; role: string }
  | { kind: "unknown"; command: Command; suggestions: string[]; truncated: boolean }
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
