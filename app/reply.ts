import { thousands } from "../src/parse/text.js";
import { SKIP_FILE_PATH } from "../src/skips/index.js";
import type { CommitPart, Delivery, FallbackReason, Outcome, Requester } from "./outcome.js";

/**
 * Marks the app's answer to one comment, so people and tools can tell it from human comments,
 * and a redelivered webhook can find that the comment was already answered.
 */
export function replyMarker(commentId: number): string {
  return `<!-- skilldex:reply-to ${commentId} -->`;
}

/** GitHub refuses a comment or a pull request body longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;
/** GitHub refuses a pull request title longer than this. */
export const MAX_TITLE_LENGTH = 256;

/**
 * The one answer to a comment: a line per command, or a single paragraph when nothing could run;
 * what did not run past the command limit is said; cut with a note at GitHub's limit.
 */
export function renderReply(commentId: number, outcomes: readonly Outcome[], skipped: { notRun: number; limit: number } = { notRun: 0, limit: 0 }): string {
  const answer = replyBody(commentId, outcomes);
  if (skipped.notRun === 0) return fitComment(answer);
  const commands = skipped.notRun === 1 ? "1 more command was" : `${skipped.notRun} more commands were`;
  return fitComment(`${answer}\n\n${commands} not run: a comment runs at most ${skipped.limit}. Put the rest in another comment.`);
}

function replyBody(commentId: number, outcomes: readonly Outcome[]): string {
  const marker = replyMarker(commentId);
  const blocking = outcomes.find((o) => o.kind === "malformed" || o.kind === "disabled");
  if (blocking?.kind === "malformed") {
    return [
      marker,
      `skilldex could not read the skip preferences file, so nothing was written:`,
      "",
      "```",
      blocking.problem,
      "```",
      "",
      `Fix ${code(SKIP_FILE_PATH)} at that place, then comment again.`,
    ].join("\n");
  }
  if (blocking?.kind === "disabled") {
    const where =
      blocking.source === "file"
        ? `in this repository (${code("skip-preferences: false")} in ${code(SKIP_FILE_PATH)})`
        : `for this installation of skilldex (${code("ENABLE_SKIP_PREFERENCES=false")})`;
    return `${marker}\nSkip preferences are disabled ${where}, so nothing was written.`;
  }
  return [marker, ...outcomes.map((outcome) => `- ${code(shorten(outcome.command.line))} — ${describe(outcome)}`)].join("\n");
}

function describe(outcome: Outcome): string {
  switch (outcome.kind) {
    case "done": {
      const verb = outcome.command.verb === "skip" ? "skipped" : outcome.command.verb === "allow" ? "approved for" : "unskipped";
      const rest = outcome.unchanged.length > 0 ? ` (${list(outcome.unchanged)} ${outcome.command.verb === "skip" ? "already was" : "was not skipped"})` : "";
      return `${verb} ${list(outcome.changed)}${rest}: ${deliveryText(outcome.delivery)}.`;
    }
    case "already": {
      const state = outcome.command.verb === "skip" ? "already skipped" : outcome.command.verb === "allow" ? "already approved for this" : "not skipped";
      const plural = outcome.keys.length > 1 ? "are" : "is";
      const where = outcome.delivery.kind === "pull" ? ` in ${link(outcome.delivery)}` : "";
      return `${list(outcome.keys)} ${plural} ${state}${where}; nothing to change.`;
    }
    case "listed": {
      if (outcome.entries.length === 0) {
        return outcome.fileExists
          ? `no skip preferences in ${code(SKIP_FILE_PATH)} on ${code(outcome.branch)}.`
          : `no skip preferences: there is no ${code(SKIP_FILE_PATH)} on ${code(outcome.branch)} yet.`;
      }
      const count = outcome.entries.length === 1 ? "1 skip preference" : `${outcome.entries.length} skip preferences`;
      const lines = outcome.entries.map((entry) => {
        const details = [entry.reason && plain(entry.reason), entry.by && `by ${code(entry.by)}`, entry.ref && plain(entry.ref), entry.at && plain(entry.at)];
        const shown = details.filter((d): d is string => Boolean(d));
        return `  - ${code(entry.key)}${shown.length ? ` — ${shown.join(", ")}` : ""}`;
      });
      return [`${count} in ${code(SKIP_FILE_PATH)} on ${code(outcome.branch)}:`, ...lines].join("\n");
    }
    case "not_allowed":
      return `not allowed: changing skip preferences needs write access to this repository, and ${code(outcome.login)} has ${outcome.role} access. Someone with write access can run the command instead.`;
    case "unknown": {
      const target = outcome.command.target ?? "";
      if (outcome.ambiguous) return `${code(target)} names more than one artifact; nothing was written. Give the key: ${outcome.suggestions.map(code).join(" or ")}.`;
      const hint = outcome.suggestions.length > 0 ? ` Did you mean ${outcome.suggestions.map(code).join(", ")}?` : " Keys look like `skill:legacy-pdf`; a folder path covers every artifact below it.";
      const truncated = outcome.truncated ? " (GitHub truncated the file listing of this large repository, so some artifacts could not be seen.)" : "";
      return `no artifact matches ${code(target)}; nothing was written.${hint}${truncated}`;
    }
    case "usage":
      return outcome.message;
    case "failed":
      return `${outcome.message}.`;
    case "malformed":
    case "disabled":
      return "nothing was written.";
  }
}

function deliveryText(delivery: Delivery): string {
  switch (delivery.kind) {
    case "commit":
      return `committed [${code(delivery.commit.sha.slice(0, 7))}](${delivery.commit.url}) to ${code(delivery.branch)}`;
    case "pull":
      return `proposed in ${link(delivery)} against ${code(delivery.base)}, ${FALLBACK_REASONS[delivery.why]}`;
    case "none":
      return "nothing to commit";
  }
}

const FALLBACK_REASONS: Record<FallbackReason, string> = {
  fork: "because the app cannot push to a fork's branch",
  protected: "because this pull request's branch does not accept direct commits",
  issue: "because an issue has no branch of its own",
};

function link(delivery: Extract<Delivery, { kind: "pull" }>): string {
  return `[#${delivery.pull.number}](${delivery.pull.url})`;
}

function list(keys: readonly string[]): string {
  return keys.map(code).join(", ");
}

/** A code span that cannot be broken out of, so nothing a commenter typed renders or mentions anyone. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, " ")}\``;
}

/** Text someone wrote into the skip file, kept from mentioning people or starting Markdown. */
function plain(text: string): string {
  return text.replace(/@/g, "@\u200b").replace(/[<>*_[\]`|\\]/g, "\\$&").replace(/\s+/g, " ");
}

function shorten(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * Text cut to GitHub's limit for a comment or a pull request body, at a line break, with a note
 * saying so. The reply marker, on the first line, always survives.
 */
export function fitComment(text: string, limit = MAX_COMMENT_LENGTH): string {
  if (text.length <= limit) return text;
  const note = (lines: number) => `\n\n… ${lines === 1 ? "1 more line" : `${lines} more lines`} cut: GitHub takes at most ${thousands(limit)} characters. The whole list is in ${code(SKIP_FILE_PATH)}.`;
  const total = text.split("\n").length;
  // The note's length depends on the count it gives; leave room for the longest.
  const room = limit - note(total).length;
  let end = text.lastIndexOf("\n", room);
  if (end <= 0) end = room;
  const kept = text.slice(0, end);
  return `${kept}${note(total - kept.split("\n").length)}`;
}

/**
 * A fallback pull request's title and body. A title past GitHub's limit lists the keys that fit
 * and says how many there are; the body then lists them all.
 */
export function renderPullRequest(part: CommitPart, requester: Requester, commentUrl: string): { title: string; body: string } {
  const verbs: string[] = [];
  if (part.skip.length > 0) verbs.push(`skip ${part.skip.join(", ")}`);
  if (part.unskip.length > 0) verbs.push(`unskip ${part.unskip.join(", ")}`);
  if (part.allow.length > 0) verbs.push(`allow ${part.allow.join(", ")}`);
  const full = `skilldex: ${verbs.join("; ")}`;
  const skips = part.skip.length + part.unskip.length > 0;
  const what = part.allow.length === 0 ? "skip preferences" : skips ? "skip preferences and approvals" : "approvals";
  const intro = [
    `Records ${what} in \`${SKIP_FILE_PATH}\`, as @${requester.login} asked in ${requester.ref} (${commentUrl}).`,
    "",
    skips ? "Merge it to apply them; the next skilldex run skips these artifacts." : "Merge it to apply them; the next skilldex run no longer warns about the approved capabilities.",
  ];
  if (full.length <= MAX_TITLE_LENGTH) return { title: full, body: intro.join("\n") };
  const keys = part.skip.length + part.unskip.length + part.allow.length;
  const suffix = ` … (${keys} keys, listed below)`;
  const cut = full.slice(0, MAX_TITLE_LENGTH - suffix.length);
  const comma = cut.lastIndexOf(",");
  const title = `${comma > 0 ? cut.slice(0, comma) : cut.trimEnd()}${suffix}`;
  const listed = [...part.skip.map((key) => `- skip ${code(key)}`), ...part.unskip.map((key) => `- unskip ${code(key)}`), ...part.allow.map((entry) => `- allow ${code(entry)}`)];
  const note = `The title is cut at GitHub's limit of ${MAX_TITLE_LENGTH} characters; the ${keys} keys:`;
  return { title, body: fitComment([...intro, "", note, "", ...listed].join("\n")) };
}
