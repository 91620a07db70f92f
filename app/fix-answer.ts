import type { FileChange } from "../src/fix/fix.js";
import { type FixOutcome, LISTED_FILES, rulesOf } from "./fix.js";
import type { FallbackReason } from "./outcome.js";
import { code, fitComment, MAX_TITLE_LENGTH } from "./reply.js";

/**
 * What `/skilldex fix` and "Fix safe" say they did, in the comment's answer and in the note on
 * the check run alike: one sentence, then a line per file with the rules whose fixes went in.
 */
export interface FixAnswer {
  sentence: string;
  files: string[];
}

export function describeFixes(outcome: FixOutcome): FixAnswer {
  const { changes, delivery, refused } = outcome;
  const files = fileLines(changes);
  if (refused.length > 0) files.push(`left alone: ${refused.slice(0, LISTED_FILES).map(code).join(", ")}${refused.length > LISTED_FILES ? ` and ${refused.length - LISTED_FILES} more` : ""} (links or submodules, not files of this repository to change)`);
  const fixed = `${changes.length === 1 ? "1 file" : `${changes.length} files`}`;
  switch (delivery.kind) {
    case "commit":
      return { sentence: `committed the safe fixes in ${fixed} as [${code(delivery.commit.sha.slice(0, 7))}](${delivery.commit.url}) to ${code(delivery.branch)}:`, files };
    case "pull": {
      const link = `[#${delivery.pull.number}](${delivery.pull.url})`;
      if (changes.length === 0) return { sentence: `the safe fixes are already proposed in ${link} against ${code(delivery.base)}; nothing more to fix.`, files };
      return { sentence: `proposed the safe fixes in ${fixed} in ${link} against ${code(delivery.base)}, ${FALLBACK[delivery.why]}:`, files };
    }
    case "none":
      return { sentence: `nothing to fix: no safe fix applies at ${code(outcome.head.slice(0, 7))}.`, files };
  }
}

const FALLBACK: Record<FallbackReason, string> = {
  fork: "because the app cannot push to a fork's branch",
  protected: "because this pull request's branch does not accept direct commits",
  issue: "because an issue has no branch of its own",
};

function fileLines(changes: readonly FileChange[]): string[] {
  const lines = changes.slice(0, LISTED_FILES).map((change) => `${code(change.file)} — ${rulesOf(change)}`);
  if (changes.length > LISTED_FILES) lines.push(`and ${changes.length - LISTED_FILES} more files (the commit lists them all)`);
  return lines;
}

/**
 * The fallback pull request: what it fixes and for whom. A fork's carries the fork's commits as
 * well, so its body says to merge it instead of the original, or to apply the commit on the fork.
 */
export function renderFixPullRequest(changes: readonly FileChange[], why: FallbackReason, context: { pullNumber: number | null; headRef: string; requestedBy: string; url: string }): { title: string; body: string } {
  const of = context.pullNumber === null ? code(context.headRef) : `#${context.pullNumber}`;
  const title = `skilldex: safe fixes for ${context.pullNumber === null ? context.headRef : `#${context.pullNumber}`}`.slice(0, MAX_TITLE_LENGTH);
  const how =
    why === "fork"
      ? `The app cannot push to the fork's branch, so this branch holds the commits of ${of} and one commit with the fixes on top: merge it instead of ${of}, or cherry-pick its last commit onto the fork.`
      : `${code(context.headRef)} does not accept direct commits, so the fixes come as this pull request against it: merge it to apply them.`;
  const intro = [
    `The safe fixes of ${code("skilldex fix")} for ${of}, as ${context.requestedBy} asked (${context.url}). Safe fixes only repair how files are written (a ${code("./")} on a component path, a quoted value, a trailing comma dropped); none changes what an artifact means.`,
    "",
    how,
    "",
  ];
  return { title, body: fitComment([...intro, ...fileLines(changes).map((line) => `- ${line}`)].join("\n")) };
}
