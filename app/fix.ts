import { tmpdir } from "node:os";
import type { Logger } from "probot";
import { type FileChange, fixSource } from "../src/fix/fix.js";
import type { Profile } from "../src/model.js";
import { openSource } from "../src/source/open.js";
import { type Commit, GitHubError, type GitHubRepo } from "./github.js";
import type { Delivery, FallbackReason } from "./outcome.js";
import { commitSource, type InstallationOctokit, type ScanSettings } from "./scan.js";
import { backoffMs, linkPullRequest, type RetrySettings } from "./write.js";

/**
 * `/skilldex fix` and the "Fix safe" button: the safe fixes of a pull request's head, computed by
 * the same code as `skilldex fix` over the files the scan reads, committed in one commit to the
 * head branch; a fork's branch, or one that takes no direct commits, gets a pull request instead,
 * as `/skip` does.
 */

export interface FixRequest {
  /** The branch to commit to: a same-repository pull request's head; null for a fork's. */
  direct: string | null;
  /** The commit fixed when there is no branch to commit to: the fork's head. */
  headSha: string;
  /** The branch a fork's pull request goes to: the pull request's base. */
  base: string;
  /** Deterministic per comment or click, so a redelivered webhook finds its own branch again. */
  fallbackBranch: string;
  profile: Profile | null;
  /** Who asked where, for the commit message: `@octocat in #42`. */
  requestedBy: string;
  /** The fallback pull request's title and body. */
  pullRequest: (changes: readonly FileChange[], why: FallbackReason) => { title: string; body: string };
}

export interface FixSettings extends RetrySettings {
  scan: ScanSettings;
}

/** What the fixes became: the files they changed (none when nothing was left to fix), and where they went. */
export interface FixOutcome {
  /** The commit whose files were fixed: the branch's head when the fixes were made. */
  head: string;
  changes: FileChange[];
  /** Files a fix would change that are links or submodules in the tree, and were left alone. */
  refused: string[];
  delivery: Delivery;
}

/** A commit made and not yet on any branch: the fixes of one head. */
interface Prepared {
  commit: Commit;
  changes: FileChange[];
  refused: string[];
}

type OnBranch = { kind: "done"; head: string; changes: FileChange[]; refused: string[]; commit: Commit | null } | { kind: "protected"; head: string; prepared: Prepared };

/** The commit's safe fixes, committed where they can go. */
export async function commitFixes(octokit: InstallationOctokit, repo: GitHubRepo, request: FixRequest, settings: FixSettings, log: Logger): Promise<FixOutcome> {
  const fix = (sha: string) => fixCommit(octokit, { owner: repo.owner, repo: repo.repo, headSha: sha, profile: request.profile }, settings.scan, log);
  if (request.direct !== null) {
    const done = await fixOnBranch(repo, request.direct, request, settings, fix);
    if (done.kind === "protected") return fallback(repo, request, "protected", done.head, done.prepared, settings, fix);
    return { head: done.head, changes: done.changes, refused: done.refused, delivery: done.commit ? { kind: "commit", branch: request.direct, commit: done.commit } : { kind: "none" } };
  }
  const prepared = await prepare(repo, request.headSha, await fix(request.headSha), request.requestedBy);
  if (prepared.commit === null) return { head: request.headSha, changes: [], refused: prepared.refused, delivery: { kind: "none" } };
  return fallback(repo, request, "fork", request.headSha, prepared as Prepared, settings, fix);
}

/**
 * The safe fixes of one commit, by `skilldex fix`'s passes over the files the App's scan reads
 * (the settings file at the commit, the partial clone or the API); suggested fixes never.
 */
export async function fixCommit(octokit: InstallationOctokit, commit: { owner: string; repo: string; headSha: string; profile: Profile | null }, settings: ScanSettings, log: Logger): Promise<FileChange[]> {
  const { config, select, logger } = await commitSource(octokit, commit, settings, log);
  const { selected } = await openSource(select, false);
  try {
    const fixed = await fixSource(selected.source, { root: selected.source.localRoot ?? tmpdir(), profile: commit.profile, config, skipPreferences: settings.skipPreferences, repoName: commit.repo, logger });
    return fixed.changes;
  } finally {
    await selected.source.dispose?.();
  }
}

/**
 * Fixes the branch's head and moves the branch to the fix commit only when it still points
 * there; a branch that moved is read and fixed again, after a jittered pause, so nobody's
 * commit is lost and a fix already made (a redelivered webhook's) is not made twice.
 */
async function fixOnBranch(repo: GitHubRepo, branch: string, request: FixRequest, settings: FixSettings, fix: (sha: string) => Promise<FileChange[]>): Promise<OnBranch> {
  for (let attempt = 1; ; attempt++) {
    const head = await repo.getBranchHead(branch);
    const prepared = await prepare(repo, head, await fix(head), request.requestedBy);
    if (prepared.commit === null) return { kind: "done", head, changes: [], refused: prepared.refused, commit: null };
    try {
      await repo.moveBranch(branch, prepared.commit.sha);
      settings.metrics?.commitMade();
      return { kind: "done", head, ...(prepared as Prepared) };
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      if (error.kind === "protected") return { kind: "protected", head, prepared: prepared as Prepared };
      if (error.kind !== "conflict") throw error;
      if (attempt >= settings.maxAttempts) throw new GitHubError("failed", error.status, `${branch} kept moving; gave up after ${attempt} attempts, try again`);
      settings.metrics?.conflictRetried();
      await settings.sleep(backoffMs(attempt, settings.random));
    }
  }
}

/** The fixes as one commit on top of `parent`, on no branch yet; no commit when there is nothing to fix. */
async function prepare(repo: GitHubRepo, parent: string, changes: FileChange[], requestedBy: string): Promise<Omit<Prepared, "commit"> & { commit: Commit | null }> {
  if (changes.length === 0) return { commit: null, changes, refused: [] };
  const files = changes.map((change) => ({ path: change.file, text: change.after }));
  const message = (written: readonly string[]) => fixCommitMessage(changes.filter((change) => written.includes(change.file)), requestedBy);
  const { commit, refused } = await repo.createCommit({ parent, files, message });
  return { commit, changes: changes.filter((change) => !refused.includes(change.file)), refused };
}

/**
 * The fixes on a branch of the app's, in a pull request: against the head branch when that one
 * takes no direct commits, against the base for a fork's. A redelivered webhook finds its branch
 * made already, fixes what is left on it (nothing), and links the pull request opened before.
 */
async function fallback(repo: GitHubRepo, request: FixRequest, why: "fork" | "protected", head: string, prepared: Prepared, settings: FixSettings, fix: (sha: string) => Promise<FileChange[]>): Promise<FixOutcome> {
  const base = why === "protected" ? (request.direct as string) : request.base;
  let made = true;
  try {
    await repo.createBranch(request.fallbackBranch, prepared.commit.sha);
  } catch (error) {
    if (!(error instanceof GitHubError && error.kind === "exists")) throw error;
    made = false;
  }
  const { pull, result } = await linkPullRequest(repo, { branch: request.fallbackBranch, base }, settings, async () => {
    let result: { changes: FileChange[]; refused: string[] } = prepared;
    if (!made) {
      const again = await fixOnBranch(repo, request.fallbackBranch, request, settings, fix);
      if (again.kind === "protected") throw new GitHubError("protected", 422, `the branch ${request.fallbackBranch} does not accept direct commits`);
      result = again;
    }
    return { result, ...request.pullRequest(result.changes.length > 0 ? result.changes : prepared.changes, why) };
  });
  return { head, changes: result.changes, refused: result.refused, delivery: { kind: "pull", branch: request.fallbackBranch, base, pull, why } };
}

/** Past this many files, a message or an answer counts the rest instead of listing them. */
export const LISTED_FILES = 50;

/** `skilldex: safe fixes in 2 files (requested by @octocat in #42)`, then a line per file with the rules whose fixes went in. */
export function fixCommitMessage(changes: readonly FileChange[], requestedBy: string): string {
  const files = changes.length === 1 ? "1 file" : `${changes.length} files`;
  const lines = changes.slice(0, LISTED_FILES).map((change) => `- ${change.file}: ${rulesOf(change)}`);
  if (changes.length > LISTED_FILES) lines.push(`- and ${changes.length - LISTED_FILES} more files`);
  return [`skilldex: safe fixes in ${files} (requested by ${requestedBy})`, "", ...lines].join("\n");
}

/** `plugin/component-paths ×2, json/valid`: the rules whose fixes went into one file. */
export function rulesOf(change: FileChange): string {
  return Object.entries(change.rules)
    .map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule))
    .join(", ");
}
