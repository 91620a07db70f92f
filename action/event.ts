import { readFileSync } from "node:fs";
import { GitError, resolveCommit } from "../src/git.js";
import type { Env } from "./runner.js";

export interface WorkflowEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** Which commit the check run belongs to and which commit it is compared with. */
export interface Target {
  owner: string;
  repo: string;
  /** The commit the check run goes on; null when the event leaves nothing to index (a deleted branch). */
  headSha: string | null;
  /** The commit to compare with: resolved in the checkout, or as the event names it when the files are fetched; null when there is none. */
  base: string | null;
  /** What a maintainer should know about the choice, such as a base missing from the checkout. */
  notices: string[];
}

const NO_COMMIT = /^0+$/;

/** The event the workflow runs for, from `GITHUB_EVENT_NAME` and the payload at `GITHUB_EVENT_PATH`. */
export function readEvent(env: Env): WorkflowEvent {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the event payload at ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { name, payload: isRecord(payload) ? payload : {} };
}

/**
 * push: the pushed commit (`after`) against `before`. pull_request and pull_request_target: the
 * pull request's head commit, not the merge commit in GITHUB_SHA, against its base. Any other
 * event: GITHUB_SHA with no base. A base the checkout does not hold is dropped with a notice.
 * Without a checkout (`root` null) the base is kept as the event names it: the fetched source
 * compares with it by fetching its tree.
 */
export async function resolveTarget(event: WorkflowEvent, env: Env, root: string | null): Promise<Target> {
  const { owner, repo } = repository(event, env);
  const notices: string[] = [];
  let headSha: string | null = env.GITHUB_SHA ?? null;
  let wantedBase: string | null = null;
  let baseLabel = "";
  const p = event.payload;
  if (event.name === "push") {
    const after = text(p.after);
    const before = text(p.before);
    if (after && NO_COMMIT.test(after)) return { owner, repo, headSha: null, base: null, notices: [`The push deleted ${text(p.ref) ?? "a branch"}: there is nothing to index.`] };
    headSha = after ?? headSha;
    // A new branch's `before` is all zeros: nothing to compare with, and nothing to say about it.
    if (before && !NO_COMMIT.test(before)) {
      wantedBase = before;
      baseLabel = "the push's previous commit";
    }
  } else if (event.name === "pull_request" || event.name === "pull_request_target") {
    const pr = isRecord(p.pull_request) ? p.pull_request : {};
    headSha = sha(pr.head) ?? headSha;
    wantedBase = sha(pr.base);
    baseLabel = "the pull request's base commit";
  }
  let base: string | null = null;
  if (wantedBase && root === null) {
    base = wantedBase;
  } else if (wantedBase && root !== null) {
    try {
      base = await resolveCommit(root, wantedBase);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      notices.push(
        `Compared with nothing: ${baseLabel} ${wantedBase.slice(0, 7)} is not in the checkout (a force push, or a shallow clone). Use actions/checkout with fetch-depth: 0 to see what each change added or updated.`,
      );
    }
  }
  return { owner, repo, headSha, base, notices };
}

function repository(event: WorkflowEvent, env: Env): { owner: string; repo: string } {
  const full = env.GITHUB_REPOSITORY ?? (isRecord(event.payload.repository) ? text(event.payload.repository.full_name) : undefined);
  const [owner, repo, ...rest] = (full ?? "").split("/");
  if (!owner || !repo || rest.length > 0) throw new Error("GITHUB_REPOSITORY is not set to owner/name: is this running in GitHub Actions?");
  return { owner, repo };
}

function sha(ref: unknown): string | null {
  return isRecord(ref) ? (text(ref.sha) ?? null) : null;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
