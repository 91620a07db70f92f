import type { CheckRunAnnotation, CheckRunConclusion, CheckRunOutput } from "../report/check-run.js";
import { translateGitHubError } from "./errors.js";
import type { GitHubRepository } from "./files.js";

/** The checks API: a completed check run with its first annotations, then each further batch. */

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
export async function createCheckRun(repository: GitHubRepository, run: CheckRunCreate): Promise<CreatedCheckRun> {
  try {
    const { data } = await repository.octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: repository.owner,
      repo: repository.repo,
      name: run.name,
      head_sha: run.headSha,
      status: "completed",
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: { ...run.output, annotations: run.annotations },
    });
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

function translate(repository: GitHubRepository, error: unknown, action: string): Error {
  return translateGitHubError(error, { action, permission: "checks: write", repo: `${repository.owner}/${repository.repo}`, credentials: repository.credentials, secrets: repository.secrets ?? [], anonymous: repository.anonymous === true });
}
