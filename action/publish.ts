import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Report } from "../src/model.js";
import { renderFailedCheckRun, type RenderedCheckRun, type RunFailure } from "../src/report/check-run.js";
import { renderJobSummary, type FixSummary } from "../src/report/job-summary.js";
import { renderJson } from "../src/report/json.js";
import { renderWorkflowCommands } from "../src/report/workflow-commands.js";
import { withSpan } from "../src/telemetry/trace.js";
import { githubClient, type Clock, type Context } from "./context.js";
import { readEvent, resolveTarget, type Target } from "./event.js";
import { type CreatedCheckRun, postRenderedCheckRun } from "../src/github/checks.js";
import type { GitHubClient } from "../src/github/client.js";
import { GitHubError } from "../src/github/errors.js";
import type { Runner } from "./runner.js";

/**
 * Where the results go: the check run (created with its first annotations, then updated with each
 * further batch the renderer made), the log's workflow commands when there is no check run, the
 * job summary and the JSON report. What each destination accepts is its renderer's business.
 */

const FIX_PERMISSION = "Add `permissions: { contents: read, checks: write }` to the workflow or job to get the check run. A pull request from a fork always gets a read-only token, so there the results are in the annotations and the job summary only.";

export interface Published {
  checkRun: CreatedCheckRun | null;
  /** Why there is no check run, for the job summary. */
  problem: string | null;
}

interface CheckRunPost {
  name: string;
  headSha: string;
  startedAt: Date;
  rendered: RenderedCheckRun;
}

/**
 * The check run of the report, or without a token or when GitHub refuses it, its annotations in
 * the log: a refusal is no crash.
 */
export async function publishResults({ runner, log, clock }: Context, client: GitHubClient, token: string, post: CheckRunPost): Promise<Published> {
  const published = token ? await publishCheckRun(runner, log, clock, client, post) : noToken(runner);
  const { checkRun } = published;
  if (checkRun) runner.info(`check run: ${checkRun.url ?? `#${checkRun.id}`}`);
  // Without a check run, the same annotations go to the log.
  else runner.print(renderWorkflowCommands(post.rendered));
  return published;
}

async function publishCheckRun(runner: Runner, log: Context["log"], clock: Clock, client: GitHubClient, post: CheckRunPost): Promise<Published> {
  const { rendered } = post;
  return withSpan("skilldex.publish", { "skilldex.annotation_requests": rendered.annotationBatches.length }, async (span) => {
    let checkRun: CreatedCheckRun | null = null;
    let problem: string | null = null;
    try {
      const posted = await createCheckRun(client, clock, post);
      checkRun = posted.checkRun;
      if (posted.missingAnnotations) throw posted.missingAnnotations;
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      log.warn(checkRun ? "some annotations were not added" : "no check run: the results go to log annotations and the job summary", { reason: error.kind, status: error.status });
      if (checkRun) {
        runner.warning(`${error.message} The check run lacks some of its annotations.`);
      } else {
        problem = error.message;
        runner.warning(`${error.message} ${error.kind === "permission" || error.kind === "not_found" ? FIX_PERMISSION : "The results are in the annotations and the job summary instead."}`);
      }
    }
    span.setAttribute("skilldex.api_calls", client.requests);
    return { checkRun, problem };
  });
}

function noToken(runner: Runner): Published {
  runner.warning(`skilldex has no github-token, so it cannot create the check run; the results are in the annotations and the job summary. ${FIX_PERMISSION}`);
  return { checkRun: null, problem: "no github-token was given" };
}

/** Creates the check run, completed, with the first batch of annotations, then adds the others. */
function createCheckRun(client: GitHubClient, clock: Clock, { name, headSha, startedAt, rendered }: CheckRunPost): ReturnType<typeof postRenderedCheckRun> {
  return postRenderedCheckRun(client.repository, { name, headSha, startedAt: startedAt.toISOString(), completedAt: clock.now().toISOString(), rendered });
}

/** The job summary of the report (paths from the repository root), with what was published and how. */
export function writeJobSummary(runner: Runner, shown: Report, rendered: RenderedCheckRun, published: Published, run: { apiCalls: number; path: string; fixes?: FixSummary }): void {
  const annotated = rendered.annotationBatches.reduce((sum, batch) => sum + batch.length, 0);
  runner.appendSummary(
    renderJobSummary(shown, {
      checkRun: published.checkRun,
      checkRunProblem: published.problem,
      apiCalls: run.apiCalls,
      annotations: { shown: annotated, total: annotated + rendered.annotationsLeftOut, external: rendered.externalFindings },
      path: run.path,
      ...(run.fixes ? { fixes: run.fixes } : {}),
      alreadyWritten: runner.summarySize(),
    }),
  );
}

/** The JSON report at `path` (the report-path input, resolved), its folders made as needed. */
export function writeReportFile(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderJson(report));
}

/**
 * After an error, a failed check run with the error as its summary and, for a malformed config,
 * an annotation at its place. The inputs and the event are read again as they are, since either
 * may be what failed; without a token, a commit or `checks: write` there is no check run.
 */
export async function publishFailure(context: Context, failure: RunFailure, startedAt: Date): Promise<CreatedCheckRun | null> {
  const { env, runner, log, clock } = context;
  const token = runner.input("github-token");
  if (!token) return null;
  let target: Target;
  try {
    target = await resolveTarget(readEvent(env), env, null);
  } catch {
    return null;
  }
  if (target.headSha === null) return null;
  const client = githubClient(context, token, target);
  const post: CheckRunPost = { name: runner.input("check-name") || "skilldex", headSha: target.headSha, startedAt, rendered: renderFailedCheckRun(failure) };
  try {
    const { checkRun, missingAnnotations } = await createCheckRun(client, clock, post);
    if (missingAnnotations) throw missingAnnotations;
    return checkRun;
  } catch (error) {
    // The step has failed with the reason already; a refused check run is not worth a second error.
    log.warn("no check run for the error", error instanceof GitHubError ? { reason: error.kind, status: error.status } : { error });
    return null;
  }
}
