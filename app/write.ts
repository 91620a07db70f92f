import { applySkipChanges, type SkipChange, type SkipChangeResult } from "../src/skips/command.js";
import { SKIP_FILE_PATH } from "../src/skips/index.js";
import { type Commit, GitHubError, type GitHubRepo, type PullRequestLink } from "./github.js";
import type { WriteCounters } from "./metrics.js";
import type { CommitPart, Delivery, FallbackReason } from "./outcome.js";

export interface RetrySettings {
  /** Injected so tests do not wait; production uses a timer. */
  sleep: (ms: number) => Promise<void>;
  /** Writes that lose a race to another replica or a person retry, up to this many attempts. */
  maxAttempts: number;
  random: () => number;
  /** Counts commits, conflicts retried and pull requests opened, for /metrics. */
  metrics?: WriteCounters;
}

/** One comment's edit of the skip file, which can be applied again to whatever the file says. */
export interface FileEdit {
  /** The comment's resolved changes, in the order it lists them. */
  changes: SkipChange[];
  /** Who asked where, for the commit message: `@octocat in #42`. */
  requestedBy: string;
}

/** What one comment's changes did to the file. */
export interface EditOutcome {
  text: string;
  changed: boolean;
  /** Per change, in order: the keys this edit changed and the keys that already were so. */
  results: SkipChangeResult[];
}

export interface WriteRequest extends FileEdit {
  /** The branch to commit to directly: a same-repository pull request's head; null to go through a pull request. */
  direct: string | null;
  /** The branch a fallback pull request targets. */
  base: string;
  /** Why there is no direct branch, when there is none. */
  why: Exclude<FallbackReason, "protected">;
  /** Deterministic per comment, so a redelivered webhook finds its own branch again. */
  fallbackBranch: string;
  pullRequest: (part: CommitPart) => { title: string; body: string };
}

export interface WriteResult {
  outcome: EditOutcome;
  delivery: Delivery;
}

export interface CommitResult {
  outcome: EditOutcome;
  /** Null when the file already said what the comment asks. */
  commit: Commit | null;
}

/** Commits the change where it belongs: the pull request's branch, or else a new pull request. */
export async function writeChanges(repo: GitHubRepo, request: WriteRequest, retry: RetrySettings, writes: SkipFileWrites): Promise<WriteResult> {
  if (request.direct !== null) {
    try {
      const { outcome, commit } = await writes.commit(repo, request.direct, request, retry);
      return { outcome, delivery: commit ? { kind: "commit", branch: request.direct, commit } : { kind: "none" } };
    } catch (error) {
      if (!(error instanceof GitHubError && error.kind === "protected")) throw error;
      return await openPullRequest(repo, request, "protected", retry, writes);
    }
  }
  return await openPullRequest(repo, request, request.why, retry, writes);
}

async function openPullRequest(repo: GitHubRepo, request: WriteRequest, why: FallbackReason, retry: RetrySettings, writes: SkipFileWrites): Promise<WriteResult> {
  const baseSha = await repo.getBranchHead(request.base);
  const onBase = applyEdits((await repo.readFile(SKIP_FILE_PATH, baseSha))?.text ?? null, [request]);
  const proposed = onBase.results[0] as EditOutcome | Failure;
  if (proposed instanceof Failure) throw proposed.error;
  // Nothing to propose when the base already says so.
  if (!onBase.changed) return { outcome: proposed, delivery: { kind: "none" } };
  try {
    await repo.createBranch(request.fallbackBranch, baseSha);
  } catch (error) {
    if (!(error instanceof GitHubError && error.kind === "exists")) throw error;
  }
  const { pull, result: outcome } = await linkPullRequest(repo, { branch: request.fallbackBranch, base: request.base }, retry, async () => {
    const { outcome } = await writes.commit(repo, request.fallbackBranch, request, retry);
    return { result: outcome, ...request.pullRequest(commitPart(request, outcome.changed ? outcome : proposed)) };
  });
  return { outcome, delivery: { kind: "pull", branch: request.fallbackBranch, base: request.base, pull, why } };
}

/**
 * The pull request from a fallback branch the app just made or wrote to: the open one when a
 * delivery before this one opened it, else a new one, whose title and body `commit` gives after
 * committing to the branch. When no pull request comes of it, the branch is deleted again.
 */
export async function linkPullRequest<T>(
  repo: GitHubRepo,
  fallback: { branch: string; base: string },
  retry: Pick<RetrySettings, "metrics">,
  commit: () => Promise<{ result: T; title: string; body: string }>,
): Promise<{ pull: PullRequestLink; result: T }> {
  let pull: PullRequestLink | null = null;
  let committed: { result: T; title: string; body: string };
  try {
    committed = await commit();
    const { title, body } = committed;
    pull = await repo.findPullRequest(fallback.branch, fallback.base);
    if (pull === null) {
      try {
        pull = await repo.createPullRequest({ branch: fallback.branch, base: fallback.base, title, body });
        retry.metrics?.pullRequestOpened();
      } catch (error) {
        // Two deliveries of one comment can both get here; the one that lost links the other's.
        if (!(error instanceof GitHubError && error.kind === "exists")) throw error;
        pull = await repo.findPullRequest(fallback.branch, fallback.base);
        if (pull === null) throw error;
      }
    }
  } catch (error) {
    if (pull === null) throw await withoutBranch(repo, fallback.branch, error);
    throw error;
  }
  return { pull, result: committed.result };
}

/** A fallback that failed leaves no branch behind that no pull request explains. */
async function withoutBranch(repo: GitHubRepo, branch: string, error: unknown): Promise<unknown> {
  try {
    await repo.deleteBranch(branch);
    return error;
  } catch {
    if (!(error instanceof GitHubError)) return error;
    return new GitHubError(error.kind, error.status, `${error.message}; the branch ${branch} it made could not be deleted`);
  }
}

interface Waiting {
  edit: FileEdit;
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes to the skip file of one branch, coalesced within this process: the comments waiting on
 * the same repository and branch are applied in arrival order in one read-edit-write, so a burst
 * of twenty becomes one or two commits, and each comment learns the commit that holds its change.
 * Comments that arrive while a write is under way join the next one. Between replicas, GitHub's
 * blob sha check arbitrates: a write that lost reads again, applies every waiting comment again,
 * and retries after a jittered, growing pause.
 */
export class SkipFileWrites {
  private readonly waiting = new Map<string, Waiting[]>();

  commit(repo: GitHubRepo, branch: string, edit: FileEdit, retry: RetrySettings): Promise<CommitResult> {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase() + `\0${branch}`;
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ edit, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ edit, resolve, reject }]);
      void this.drain(key, repo, branch, retry);
    });
  }

  /** Writes while anyone waits on the branch; the last round removes the branch's entry. */
  private async drain(key: string, repo: GitHubRepo, branch: string, retry: RetrySettings): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(key) as Waiting[];
      if (queue.length === 0) {
        this.waiting.delete(key);
        return;
      }
      await writeRound(queue, repo, branch, retry);
    }
  }
}

/**
 * One read-edit-write for everyone waiting when the file has been read (so those who arrive
 * during the read are in it too). Unchanged content writes nothing.
 */
async function writeRound(queue: Waiting[], repo: GitHubRepo, branch: string, retry: RetrySettings): Promise<void> {
  const members: Waiting[] = [];
  const rejectAll = (error: unknown) => {
    for (const member of members) member.reject(error);
  };
  for (let attempt = 1; ; attempt++) {
    let file: Awaited<ReturnType<GitHubRepo["readFile"]>>;
    try {
      file = await repo.readFile(SKIP_FILE_PATH, branch);
    } catch (error) {
      members.push(...queue.splice(0));
      rejectAll(error);
      return;
    }
    members.push(...queue.splice(0));
    const applied = applyEdits(file?.text ?? null, members.map((m) => m.edit));
    let commit: Commit | null = null;
    if (applied.changed) {
      const parts = members.flatMap((member, i) => {
        const result = applied.results[i];
        return result instanceof Failure || !result?.changed ? [] : [commitPart(member.edit, result)];
      });
      try {
        commit = await repo.writeFile({ path: SKIP_FILE_PATH, branch, text: applied.text, sha: file?.sha ?? null, message: commitMessage(parts) });
        retry.metrics?.commitMade();
      } catch (error) {
        if (!(error instanceof GitHubError && error.kind === "conflict")) {
          rejectAll(error);
          return;
        }
        if (attempt >= retry.maxAttempts) {
          rejectAll(new GitHubError("failed", error.status, `${SKIP_FILE_PATH} on ${branch} kept changing; gave up after ${attempt} attempts, try the command again`));
          return;
        }
        retry.metrics?.conflictRetried();
        await retry.sleep(backoffMs(attempt, retry.random));
        continue;
      }
    }
    members.forEach((member, i) => {
      const result = applied.results[i] as EditOutcome | Failure;
      if (result instanceof Failure) member.reject(result.error);
      else member.resolve({ outcome: { ...result, text: applied.text }, commit: result.changed ? commit : null });
    });
    return;
  }
}

/** An edit the file refused, kept apart so the other comments of the round still land. */
class Failure {
  constructor(readonly error: unknown) {}
}

/** Every comment's changes in one pass over the text; comment by comment when one of them is refused. */
function applyEdits(text: string | null, edits: readonly FileEdit[]): { text: string; changed: boolean; results: (EditOutcome | Failure)[] } {
  try {
    const applied = applySkipChanges(
      text,
      edits.flatMap((e) => e.changes),
    );
    let at = 0;
    const results = edits.map((e) => editOutcome(applied.text, applied.results.slice(at, (at += e.changes.length))));
    return { text: applied.text, changed: applied.changed, results };
  } catch {
    let current = text;
    const results: (EditOutcome | Failure)[] = [];
    for (const e of edits) {
      try {
        const applied = applySkipChanges(current, e.changes);
        if (applied.changed) current = applied.text;
        results.push(editOutcome(applied.text, applied.results));
      } catch (error) {
        results.push(new Failure(error));
      }
    }
    return { text: current ?? "", changed: current !== text, results };
  }
}

function editOutcome(text: string, results: SkipChangeResult[]): EditOutcome {
  return { text, changed: results.some((result) => result.changed.length > 0), results };
}

/** A comment's share of the commit: the keys its changes changed. */
function commitPart(edit: FileEdit, outcome: EditOutcome): CommitPart {
  const changedBy = (verb: "skip" | "unskip") => [...new Set(edit.changes.flatMap((change, i) => (change.verb === verb ? (outcome.results[i]?.changed ?? []) : [])))];
  const allow = edit.changes.flatMap((change, i) => (change.verb === "allow" && (outcome.results[i]?.changed.length ?? 0) > 0 ? [`${change.keys[0]} ${change.entry.capability}`] : []));
  return { skip: changedBy("skip"), unskip: changedBy("unskip"), allow, by: edit.requestedBy };
}

/** Past this, a commit's first line counts the keys instead of listing them. */
const SUBJECT_LENGTH = 200;

/**
 * `skilldex: skip skill:legacy-pdf (requested by @octocat in #42)`. Several comments written in
 * one commit share the first line, and each has a line of its own below it.
 */
function commitMessage(parts: readonly CommitPart[]): string {
  const line = (part: Omit<CommitPart, "by">, by: string[], count: boolean): string => {
    const verbs = VERBS.filter((verb) => part[verb].length > 0).map((verb) => `${verb} ${count ? artifacts(part[verb].length) : part[verb].join(", ")}`);
    return `skilldex: ${verbs.join("; ")} (requested by ${by.join(", ")})`;
  };
  const all = { skip: unique(parts, "skip"), unskip: unique(parts, "unskip"), allow: unique(parts, "allow") };
  const by = [...new Set(parts.map((part) => part.by))];
  const listed = line(all, by, false);
  if (listed.length <= SUBJECT_LENGTH && parts.length === 1) return listed;
  const subject = listed.length <= SUBJECT_LENGTH ? listed : line(all, by.length > 3 ? [`${by.length} comments`] : by, true);
  if (parts.length === 1) {
    const [part] = parts as [CommitPart];
    return [subject, "", ...VERBS.flatMap((verb) => part[verb].map((key) => `- ${verb} ${key}`))].join("\n");
  }
  return [subject, "", ...parts.map((part) => line(part, [part.by], false).replace(/^skilldex: /, "- "))].join("\n");
}

/** The parts of a commit, in the order its message lists them. */
const VERBS = ["skip", "unskip", "allow"] as const;

function unique(parts: readonly CommitPart[], verb: (typeof VERBS)[number]): string[] {
  return [...new Set(parts.flatMap((part) => part[verb]))];
}

function artifacts(n: number): string {
  return n === 1 ? "1 artifact" : `${n} artifacts`;
}

/** 100 ms doubling to at most 3 s, each pause drawn from its upper half so racing writers spread out. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(3000, 100 * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
