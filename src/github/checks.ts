import type { CheckRunAnnotation, CheckRunConclusion, CheckRunOutput, RenderedCheckRun } from "../report/check-run.js";
import { GitHubError, translateGitHubError } from "./errors.js";
import type { GitHubRepository } from "./files.js";

/**
 * The checks API: a completed check run with its first annotations, then each further batch; or
 * (the App) a check run in progress at once, completed when its scan is done.
 */

export interface CheckRunCreate {
  name: string;
  headSha: string;
  conclusion: CheckRunConclusion;
  startedAt: string;
  completedAt: string;
  output: CheckRunOutput;
  annotations: CheckRunAnnotation[];
}

export interface CreatedCheckRun {
  id: number;
  url: string | null;
}

/** checks: write. Creates a completed check run with its first annotations: one request. */
export function createCheckRun(repository: GitHubRepository, run: CheckRunCreate): Promise<CreatedCheckRun> {
  return postCheckRun(repository, {
    name: run.name,
    head_sha: run.headSha,
    status: "completed",
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations: run.annotations },
  });
}

/** The one POST of a check run, completed or in progress. */
async function postCheckRun(repository: GitHubRepository, body: Record<string, unknown>): Promise<CreatedCheckRun> {
  try {
    const { data } = await repository.octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: repository.owner, repo: repository.repo, ...body });
    const created = data as { id: number; html_url?: string | null };
    return { id: created.id, url: created.html_url ?? null };
  } catch (error) {
    throw translate(repository, error, "create the check run");
  }
}

/** checks: write. Adds annotations to a check run, one request; GitHub appends them to those it has. */
export async function addAnnotations(repository: GitHubRepository, id: number, output: CheckRunOutput, annotations: CheckRunAnnotation[]): Promise<void> {
  try {
    await repository.octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repository.owner,
      repo: repository.repo,
      check_run_id: id,
      output: { ...output, annotations },
    });
  } catch (error) {
    throw translate(repository, error, "add annotations to the check run");
  }
}

/** A button on a check run (`requested_action`): GitHub allows three, labels of 20 characters, descriptions of 40. */
export interface CheckRunAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRunStart {
  name: string;
  headSha: string;
  startedAt: string;
  output: { title: string; summary: string };
}

/** checks: write. Creates a check run in progress, before its scan runs: one request. */
export function startCheckRun(repository: GitHubRepository, run: CheckRunStart): Promise<CreatedCheckRun> {
  return postCheckRun(repository, { name: run.name, head_sha: run.headSha, status: "in_progress", started_at: run.startedAt, output: run.output });
}

export interface CheckRunCompletion {
  conclusion: CheckRunConclusion | "cancelled" | "skipped";
  completedAt: string;
  output: CheckRunOutput;
  annotations: CheckRunAnnotation[];
  actions?: CheckRunAction[];
}

/** checks: write. Completes a check run with its output, its first annotations and its buttons: one request. */
export async function completeCheckRun(repository: GitHubRepository, id: number, run: CheckRunCompletion): Promise<void> {
  try {
    await repository.octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repository.owner,
      repo: repository.repo,
      check_run_id: id,
      status: "completed",
      conclusion: run.conclusion,
      completed_at: run.completedAt,
      output: { ...run.output, annotations: run.annotations },
      ...(run.actions ? { actions: run.actions } : {}),
    });
  } catch (error) {
    throw translate(repository, error, "complete the check run");
  }
}

export interface RenderedCheckRunPost {
  name: string;
  headSha: string;
  startedAt: string;
  completedAt: string;
  rendered: RenderedCheckRun;
  /** The check run already in progress to complete; a new one is created when absent. */
  inProgress?: number | null;
  actions?: CheckRunAction[];
}

/**
 * A rendered check run, as the Action and the App post it: created completed, or the one in
 * progress completed, with the first 50 annotations; then one update per further 50. Throws when
 * there is no check run; annotations GitHub refused afterwards come back as `missingAnnotations`.
 */
export async function postRenderedCheckRun(repository: GitHubRepository, post: RenderedCheckRunPost): Promise<{ checkRun: CreatedCheckRun; missingAnnotations: GitHubError | null }> {
  const { rendered } = post;
  const first = rendered.annotationBatches[0] ?? [];
  let checkRun: CreatedCheckRun;
  if (post.inProgress) {
    await completeCheckRun(repository, post.inProgress, { conclusion: rendered.conclusion, completedAt: post.completedAt, output: rendered.output, annotations: first, actions: post.actions });
    checkRun = { id: post.inProgress, url: null };
  } else {
    checkRun = await createCheckRun(repository, { name: post.name, headSha: post.headSha, conclusion: rendered.conclusion, startedAt: post.startedAt, completedAt: post.completedAt, output: rendered.output, annotations: first });
  }
  try {
    for (const batch of rendered.annotationBatches.slice(1)) await addAnnotations(repository, checkRun.id, rendered.output, batch);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    return { checkRun, missingAnnotations: error };
  }
  return { checkRun, missingAnnotations: null };
}

function translate(repository: GitHubRepository, error: unknown, action: string): Error {
  return translateGitHubError(error, { action, permission: "checks: write", repo: `${repository.owner}/${repository.repo}`, credentials: repository.credentials, secrets: repository.secrets ?? [], anonymous: repository.anonymous === true });
}
