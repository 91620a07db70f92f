import type { Context, Logger } from "probot";
import { completeCheckRun } from "../src/github/checks.js";
import { translateGitHubError } from "../src/github/errors.js";
import type { GitHubRepository } from "../src/github/files.js";
import { SKIP_FILE_PATH } from "../src/skips/index.js";
import { CHECK_NAME, shortSha } from "./check-runs.js";
import { installationRepository, type InstallationOctokit } from "./scan.js";

/**
 * No double checks: a commit the skilldex Action reports on gets no check run from the App. The
 * Action's check run is the one named `skilldex` that GitHub Actions created (the workflow's
 * GITHUB_TOKEN, the Action's default token). The App looks twice: when a scan is asked for (one
 * request, before its own check run is created), and when GitHub tells it that GitHub Actions
 * created such a check run (`check_run.created`, sent to every app with the checks permission),
 * since a workflow usually reports after the App has: its own check run on that commit then
 * completes as `skipped`, saying that the Action reports it.
 */

/** The app GitHub names as the creator of check runs made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_APP_SLUG = "github-actions";

/** A check run on a commit, as GitHub lists it. */
export interface ListedCheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  app: { id: number; slug?: string } | null;
  output?: { title?: string | null };
}

/** The title of the App's check run on a commit the Action reports on. */
export const STOOD_ASIDE_TITLE = "Reported by the skilldex Action";

/** Whether a check run is the Action's: named skilldex, created by GitHub Actions. */
export function isActionCheckRun(run: Pick<ListedCheckRun, "name" | "app">): boolean {
  return run.name === CHECK_NAME && run.app?.slug === ACTIONS_APP_SLUG;
}

/** Whether a delivery tells of the Action's check run being created, for which the App stands aside. */
export function isActionCheckRunCreated(event: string, payload: unknown): boolean {
  if (event !== "check_run") return false;
  const { action, check_run: run } = (payload ?? {}) as { action?: unknown; check_run?: Partial<ListedCheckRun> };
  return action === "created" && typeof run?.name === "string" && isActionCheckRun({ name: run.name, app: run.app ?? null });
}

/** checks: read. The check runs named skilldex on a commit, of one app when `appId` is given: one request. */
export async function listSkilldexCheckRuns(repository: GitHubRepository, sha: string, appId?: number): Promise<ListedCheckRun[]> {
  try {
    const { data } = await repository.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      owner: repository.owner,
      repo: repository.repo,
      ref: sha,
      check_name: CHECK_NAME,
      per_page: 100,
      ...(appId === undefined ? {} : { app_id: appId }),
    });
    return (data as { check_runs: ListedCheckRun[] }).check_runs;
  } catch (error) {
    throw translateGitHubError(error, { action: `list the check runs of ${shortSha(sha)}`, permission: "checks: read", repo: `${repository.owner}/${repository.repo}`, credentials: repository.credentials, secrets: repository.secrets ?? [], anonymous: repository.anonymous === true });
  }
}

/** Whether the skilldex Action has a check run on the commit already. */
export async function actionReportsOn(repository: GitHubRepository, sha: string): Promise<boolean> {
  return (await listSkilldexCheckRuns(repository, sha)).some(isActionCheckRun);
}

/** What the App's check run says on a commit the Action reports on. */
export function stoodAsideOutput(sha: string): { title: string; summary: string; text: string } {
  return {
    title: STOOD_ASIDE_TITLE,
    summary: `The skilldex Action reports on \`${shortSha(sha)}\` in its own check run, so the App's check of this commit stands aside. To have the Action's check alone on every commit, set \`app-checks: false\` in \`${SKIP_FILE_PATH}\`.`,
    text: "",
  };
}

/**
 * Completes the App's own skilldex check runs on the commit as `skipped`, without buttons, saying
 * the Action reports it; a run already standing aside is left alone. Returns how many it completed.
 */
export async function standAside(repository: GitHubRepository, sha: string, appId: number, now: () => Date): Promise<number> {
  const own = (await listSkilldexCheckRuns(repository, sha, appId)).filter((run) => run.app?.id === appId && !(run.conclusion === "skipped" && run.output?.title === STOOD_ASIDE_TITLE));
  for (const run of own) {
    await completeCheckRun(repository, run.id, { conclusion: "skipped", completedAt: now().toISOString(), output: stoodAsideOutput(sha), annotations: [], actions: [] });
  }
  return own.length;
}

export interface ActionCheckSettings {
  appId: number;
  now: () => Date;
}

/** `check_run.created` of the Action's check run: bot? → parse → the App's own runs on that commit → skipped. */
export async function handleActionCheckRun(context: Context<"check_run.created">, settings: ActionCheckSettings): Promise<"stood_aside" | "ignored"> {
  const { check_run: run, repository } = context.payload;
  if (!isActionCheckRun({ name: run.name, app: run.app ? { id: run.app.id, slug: run.app.slug } : null })) return "ignored";
  const log: Logger = context.log.child({ traceId: context.id, repository: repository.full_name, sha: run.head_sha });
  const octokit = context.octokit as unknown as InstallationOctokit;
  const completed = await standAside(installationRepository(octokit, repository.owner.login, repository.name), run.head_sha, settings.appId, settings.now);
  log.info({ actionCheckRun: run.id, completed }, completed > 0 ? "skilldex stood aside: the skilldex Action reports on this commit" : "skilldex has no check run on a commit the skilldex Action reports on");
  return completed > 0 ? "stood_aside" : "ignored";
}
