import { SKIP_FILE_PATH } from "../src/skips/index.js";
import type { EditOutcome } from "./edit.js";
import { type Commit, GitHubError, type GitHubRepo, type PullRequestLink } from "./github.js";
import type { WriteCounters } from "./metrics.js";

export interface RetrySettings {
  /** Injected so tests do not wait; production uses a timer. */
  sleep: (ms: number) => Promise<void>;
  /** Writers that lose a race retry; with n writers at once the last one needs n attempts. */
  maxAttempts: number;
  random: () => number;
  /** Counts commits, conflicts retried and pull requests opened, for /metrics. */
  metrics?: WriteCounters;
}

/** Where one comment's change goes and why, as the answer tells it. */
export type Delivery =
  | { kind: "none" }
  | { kind: "commit"; branch: string; commit: Commit }
  | { kind: "pull"; branch: string; base: string; pull: PullRequestLink; why: FallbackReason };

/** Why the app opened a pull request instead of committing to the conversation's branch. */
export type FallbackReason = "fork" | "protected" | "issue";

export interface WriteRequest {
  /** The branch to commit to directly: a same-repository pull request's head; null to go through a pull request. */
  direct: string | null;
  /** The branch a fallback pull request targets. */
  base: string;
  /** Why there is no direct branch, when there is none. */
  why: Exclude<FallbackReason, "protected">;
  /** Deterministic per comment, so a redelivered webhook finds its own branch again. */
  fallbackBranch: string;
  /** Applies the comment's changes to whatever the file says at the moment. */
  edit: (text: string | null) => EditOutcome;
  message: (outcome: EditOutcome) => string;
  pullRequest: (outcome: EditOutcome) => { title: string; body: string };
}

export interface WriteResult {
  outcome: EditOutcome;
  delivery: Delivery;
}

/** Commits the change where it belongs: the pull request's branch, or else a new pull request. */
export async function writeChanges(repo: GitHubRepo, request: WriteRequest, retry: RetrySettings): Promise<WriteResult> {
  if (request.direct !== null) {
    try {
      const { outcome, commit } = await commitEdit(repo, request.direct, request, retry);
      return { outcome, delivery: commit ? { kind: "commit", branch: request.direct, commit } : { kind: "none" } };
    } catch (error) {
      if (!(error instanceof GitHubError && error.kind === "protected")) throw error;
      return await openPullRequest(repo, request, "protected", retry);
    }
  }
  return await openPullRequest(repo, request, request.why, retry);
}

async function openPullRequest(repo: GitHubRepo, request: WriteRequest, why: FallbackReason, retry: RetrySettings): Promise<WriteResult> {
  const baseSha = await repo.getBranchHead(request.base);
  const onBase = request.edit((await repo.readFile(SKIP_FILE_PATH, baseSha))?.text ?? null);
  // Nothing to propose when the base already says so.
  if (!onBase.changed) return { outcome: onBase, delivery: { kind: "none" } };
  try {
    await repo.createBranch(request.fallbackBranch, baseSha);
  } catch (error) {
    if (!(error instanceof GitHubError && error.kind === "exists")) throw error;
  }
  const { outcome } = await commitEdit(repo, request.fallbackBranch, request, retry);
  let pull = await repo.findPullRequest(request.fallbackBranch, request.base);
  if (pull === null) {
    const { title, body } = request.pullRequest(outcome.changed ? outcome : onBase);
    try {
      pull = await repo.createPullRequest({ branch: request.fallbackBranch, base: request.base, title, body });
      retry.metrics?.pullRequestOpened();
    } catch (error) {
      // Two deliveries of one comment can both get here; the one that lost links the other's.
      if (!(error instanceof GitHubError && error.kind === "exists")) throw error;
      pull = await repo.findPullRequest(request.fallbackBranch, request.base);
      if (pull === null) throw error;
    }
  }
  return { outcome, delivery: { kind: "pull", branch: request.fallbackBranch, base: request.base, pull, why } };
}

/**
 * Read, edit, write with the sha read; when someone else wrote in between, read the new content,
 * apply the edit again and retry after a jittered, growing pause. Unchanged content writes nothing.
 */
export async function commitEdit(
  repo: GitHubRepo,
  branch: string,
  request: Pick<WriteRequest, "edit" | "message">,
  retry: RetrySettings,
): Promise<{ outcome: EditOutcome; commit: Commit | null }> {
  for (let attempt = 1; ; attempt++) {
    const file = await repo.readFile(SKIP_FILE_PATH, branch);
    const outcome = request.edit(file?.text ?? null);
    if (!outcome.changed) return { outcome, commit: null };
    try {
      const commit = await repo.writeFile({ path: SKIP_FILE_PATH, branch, text: outcome.text, sha: file?.sha ?? null, message: request.message(outcome) });
      retry.metrics?.commitMade();
      return { outcome, commit };
    } catch (error) {
      if (!(error instanceof GitHubError && error.kind === "conflict")) throw error;
      if (attempt >= retry.maxAttempts) {
        throw new GitHubError("failed", error.status, `${SKIP_FILE_PATH} on ${branch} kept changing; gave up after ${attempt} attempts, try the command again`);
      }
      retry.metrics?.conflictRetried();
      await retry.sleep(backoffMs(attempt, retry.random));
    }
  }
}

/** 100 ms doubling to at most 3 s, each pause drawn from its upper half so racing writers spread out. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(3000, 100 * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
