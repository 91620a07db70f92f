import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { GitError } from "../src/git.js";
import { trips } from "../src/index/fail-on.js";
import type { Report } from "../src/model.js";
import { renderCheckRun, renderFailedCheckRun, type RenderedCheckRun, type RunFailure } from "../src/report/check-run.js";
import { renderJobSummary } from "../src/report/job-summary.js";
import { renderJson } from "../src/report/json.js";
import { relativeToRepository } from "../src/report/paths.js";
import { breakdownLine } from "../src/report/summary.js";
import { renderWorkflowCommands } from "../src/report/workflow-commands.js";
import { parseSkipFile, SKIP_FILE_PATH, SkipFileError, type SkilldexConfig } from "../src/skips/index.js";
import { scanFromSource, sourceLog, SourceOpenError } from "../src/source/open.js";
import { createLogger, parseLogLevel, type Logger } from "../src/telemetry/log.js";
import { Redactor } from "../src/telemetry/redact.js";
import { setupTracing, withSpan } from "../src/telemetry/trace.js";
import { VERSION } from "../src/version.js";
import { CheckoutError, locateCheckout, type Checkout } from "./checkout.js";
import { readEvent, resolveTarget, type Target } from "./event.js";
import { GitHubClient, GitHubError, type CreatedCheckRun } from "./github.js";
import { DEFAULT_PROFILE, InputError, readInputs, type Inputs } from "./inputs.js";
import { Runner, type Env } from "./runner.js";

/** What run() needs from the world; every field has the real one as its default. */
export interface RunDeps {
  env?: Env;
  /** Where the log and workflow commands go: the runner reads them from standard output. */
  write?: (text: string) => void;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Waits of the GitHub client: seconds scaled to milliseconds, and spacing of writes. */
  github?: { retryAfterBaseValue?: number; paceWrites?: boolean };
}

interface Clock {
  now: () => Date;
  elapsed: () => number;
}

export interface RunResult {
  exitCode: 0 | 1;
  conclusion: string;
  checkRunId: number | null;
  report: Report | null;
}

/** The largest config file skilldex reads, as the scan reads it from fetched files. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const FIX_PERMISSION = "Add `permissions: { contents: read, checks: write }` to the workflow or job to get the check run. A pull request from a fork always gets a read-only token, so there the results are in the annotations and the job summary only.";

/** The Action: read the inputs and the event, scan the checkout or the fetched files, publish, set outputs. Never throws. */
export async function run(deps: RunDeps = {}): Promise<RunResult> {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? { now: () => new Date(), elapsed: () => performance.now() };
  // Every line the step writes goes through one redactor, whichever part of skilldex wrote it.
  const redactor = new Redactor(env);
  const rawWrite = deps.write ?? ((text: string) => void process.stdout.write(text));
  const write = (text: string): void => rawWrite(redactor.redact(text));
  const runner = new Runner(env, write);
  const level = parseLogLevel(env.SKILLDEX_LOG, env.RUNNER_DEBUG === "1" ? "debug" : "info");
  const log = createLogger({ traceId: `${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`, write, level, redactor, now: clock.now });
  const tracing = await setupTracing(env, "skilldex-action");
  const context: Context = { env, runner, log, clock, deps };
  const progress: Progress = { startedAt: clock.now(), checkRun: null, outputsSet: false };
  try {
    return await runAction(context, progress);
  } catch (error) {
    const failure = describeFailure(error);
    runner.fail(`skilldex: ${failure.message}`, failure.place ? { ...failure.place, title: "skilldex config" } : {});
    if ((env.RUNNER_DEBUG === "1" || env.SKILLDEX_DEBUG) && error instanceof Error && error.stack) runner.debug(error.stack);
    log.error("the Action stopped", { error });
    // A check run already posted keeps its results; otherwise the check named in branch protection still turns up, red, with the reason.
    const checkRun = progress.checkRun ?? (await publishFailure(context, failure, progress.startedAt));
    if (!progress.outputsSet) setFailureOutputs(runner, checkRun);
    return { exitCode: 1, conclusion: "failure", checkRunId: checkRun?.id ?? null, report: null };
  } finally {
    await tracing.shutdown();
  }
}

interface Context {
  env: Env;
  runner: Runner;
  log: Logger;
  clock: Clock;
  deps: RunDeps;
}

/** What the run got done before an error stopped it, so that the error path neither repeats nor contradicts it. */
interface Progress {
  startedAt: Date;
  checkRun: CreatedCheckRun | null;
  outputsSet: boolean;
}

async function runAction(context: Context, progress: Progress): Promise<RunResult> {
  const { env, runner, log, clock, deps } = context;
  const started = clock.elapsed();
  const { startedAt } = progress;
  const inputs = readInputs(runner);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const checkout = findCheckout(workspace, inputs, runner);
  // Without a checkout the files are fetched at the commit the check run goes on, from the path input's folder.
  const place = checkout ?? fetchedPlace(workspace, inputs.path);
  const target = await resolveTarget(readEvent(env), env, checkout?.root ?? null);
  for (const notice of target.notices) runner.notice(notice);
  if (target.headSha === null) {
    setOutputs(runner, null, "neutral", null, "");
    progress.outputsSet = true;
    return { exitCode: 0, conclusion: "neutral", checkRunId: null, report: null };
  }
  runner.info(`skilldex ${VERSION}: indexing ${place.prefix || "the repository"} at ${target.headSha.slice(0, 7)}${target.base ? `, compared with ${target.base.slice(0, 7)}` : ""}`);
  // Without a token the client reads public repositories only, and publishes nothing.
  const client = githubClient(context, inputs.token, target);
  const configPath = configFile(workspace, inputs.config, checkout !== null);
  // The settings are the repository's, at its root, whichever folder is indexed: that is where the
  // App writes skip preferences, and where the config input points with a checkout.
  const config = !checkout && place.prefix ? await readRootConfig(client, target.headSha) : null;

  const { report, selected } = await scanFromSource({
    select: {
      strategy: checkout ? "workspace" : inputs.source,
      root: checkout?.root ?? null,
      repo: `${target.owner}/${target.repo}`,
      ref: target.headSha,
      subdir: place.prefix || null,
      token: inputs.token || null,
      apiUrl: env.GITHUB_API_URL || null,
      serverUrl: env.GITHUB_SERVER_URL || null,
      env,
      log: sourceLog(log),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
    external: inputs.indexExternal,
    fallbackRoot: place.root,
    // The default input defers to the config file's profile, which scan() falls back from to claude-code.
    profile: inputs.profile === DEFAULT_PROFILE ? null : inputs.profile,
    base: target.base,
    configPath,
    ...(config ? { config } : {}),
    skipPreferences: inputs.skipPreferences,
    // A sub-folder's own root artifacts are named after the folder, as the App names them from
    // the repository root; only a scan of the whole repository takes the repository's name.
    repoName: place.prefix ? place.prefix.split("/").pop() as string : target.repo,
    logger: log,
  }).catch((error: unknown) => {
    throw error instanceof SkipFileError ? relocate(error, place.root, place.repoRoot) : error;
  });
  if (!checkout) runner.info(`read ${report.metrics.filesRead} of ${report.metrics.filesListed} files through the ${selected.strategy === "api" ? "GitHub API" : "partial clone"}: ${selected.reason}`);
  for (const warning of selected.warnings) runner.warning(warning);
  runner.info(breakdownLine(report, true));
  const tripped = trips(report, inputs.failOn);
  // Paths in the check run and the job summary are from the repository root, as GitHub links them.
  const shown = relativeToRepository(report, place.prefix);
  const reportPath = inputs.reportPath ? resolve(workspace, inputs.reportPath) : "";
  const rendered = renderCheckRun(shown, {
    tripped,
    maxAnnotations: inputs.maxAnnotations,
    fullReportAt: inputs.reportPath ? `the JSON report (${inputs.reportPath})` : "the job summary of the workflow run",
  });
  const annotations = rendered.annotationBatches.flat();

  const publishing = clock.elapsed();
  const published = inputs.token ? await publishCheckRun(context, client, { name: inputs.checkName, headSha: target.headSha, startedAt, rendered }) : noToken(runner);
  const { checkRun } = published;
  progress.checkRun = checkRun;
  if (checkRun) runner.info(`check run: ${checkRun.url ?? `#${checkRun.id}`}`);
  // Without a check run, the same annotations go to the log.
  else runner.print(renderWorkflowCommands(rendered));

  // The calls that fetched the files, if any, and those that read the settings and published the results.
  report.metrics.apiCalls += client.requests;
  report.timings.publishing = round(clock.elapsed() - publishing);
  report.timings.total = round(clock.elapsed() - started);
  runner.appendSummary(
    renderJobSummary(shown, {
      checkRun,
      checkRunProblem: published.problem,
      apiCalls: report.metrics.apiCalls,
      annotations: { shown: annotations.length, total: annotations.length + rendered.annotationsLeftOut, external: rendered.externalFindings },
      path: place.prefix || ".",
      alreadyWritten: runner.summarySize(),
    }),
  );
  if (reportPath) {
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, renderJson(report));
  }
  setOutputs(runner, report, rendered.conclusion, checkRun, reportPath);
  progress.outputsSet = true;
  log.info("action finished", { conclusion: rendered.conclusion, checkRunId: checkRun?.id ?? null, apiCalls: report.metrics.apiCalls, annotations: annotations.length, durationMs: report.timings.total });
  if (tripped) runner.fail(`skilldex: ${breakdownLine(report)} (fail-on: ${inputs.failOn})`);
  return { exitCode: tripped ? 1 : 0, conclusion: rendered.conclusion, checkRunId: checkRun?.id ?? null, report };
}

interface Published {
  checkRun: CreatedCheckRun | null;
  /** Why there is no check run, for the job summary. */
  problem: string | null;
}

function githubClient({ env, log, deps }: Context, token: string, target: Pick<Target, "owner" | "repo">): GitHubClient {
  return new GitHubClient({
    token,
    owner: target.owner,
    repo: target.repo,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...deps.github,
    logger: log,
  });
}

/** The root's default config file at the commit, or null when it has none. */
async function readRootConfig(client: GitHubClient, ref: string): Promise<SkilldexConfig | null> {
  const bytes = await client.readFile(SKIP_FILE_PATH, ref);
  if (bytes === null) return null;
  if (bytes.length > MAX_CONFIG_BYTES) throw new Error(`config file ${SKIP_FILE_PATH} cannot be read: over 1 MiB`);
  return parseSkipFile(bytes.toString("utf8"), SKIP_FILE_PATH);
}

/**
 * Creates the check run, completed, with the first 50 annotations, then adds the rest 50 at a
 * time. A refusal is no crash: the caller falls back to annotations in the log.
 */
async function publishCheckRun(
  { runner, log, clock }: Context,
  client: GitHubClient,
  run: { name: string; headSha: string; startedAt: Date; rendered: RenderedCheckRun },
): Promise<Published> {
  const { rendered } = run;
  return withSpan("skilldex.publish", { "skilldex.annotation_requests": rendered.annotationBatches.length }, async (span) => {
    let checkRun: CreatedCheckRun | null = null;
    let problem: string | null = null;
    try {
      checkRun = await client.createCheckRun({
        name: run.name,
        headSha: run.headSha,
        conclusion: rendered.conclusion,
        startedAt: run.startedAt.toISOString(),
        completedAt: clock.now().toISOString(),
        output: rendered.output,
        annotations: rendered.annotationBatches[0] ?? [],
      });
      for (const batch of rendered.annotationBatches.slice(1)) await client.addAnnotations(checkRun.id, rendered.output, batch);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      log.warn(checkRun ? "some annotations were not added" : "no check run: the results go to log annotations and the job summary", { reason: error.kind, status: error.status });
      if (checkRun) {
        runner.warning(`${error.message} The check run lacks some of its annotations.`);
      } else {
        problem = error.message;
        runner.warning(`${error.message} ${error.kind === "permission" ? FIX_PERMISSION : "The results are in the annotations and the job summary instead."}`);
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

/**
 * After an error, a failed check run with the error as its summary and, for a malformed config,
 * an annotation at its place. The inputs and the event are read again as they are, since either
 * may be what failed; without a token, a commit or `checks: write` there is no check run.
 */
async function publishFailure(context: Context, failure: RunFailure, startedAt: Date): Promise<CreatedCheckRun | null> {
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
  const rendered = renderFailedCheckRun(failure);
  try {
    return await githubClient(context, token, target).createCheckRun({
      name: runner.input("check-name") || "skilldex",
      headSha: target.headSha,
      conclusion: rendered.conclusion,
      startedAt: startedAt.toISOString(),
      completedAt: clock.now().toISOString(),
      output: rendered.output,
      annotations: rendered.annotationBatches[0] ?? [],
    });
  } catch (error) {
    // The step has failed with the reason already; a refused check run is not worth a second error.
    log.warn("no check run for the error", error instanceof GitHubError ? { reason: error.kind, status: error.status } : { error });
    return null;
  }
}

function setOutputs(runner: Runner, report: Report | null, conclusion: string, checkRun: CreatedCheckRun | null, reportPath: string): void {
  const totals = report?.totals ?? { discovered: 0, success: 0, skipped: 0, failed: 0 };
  runner.output("discovered", totals.discovered);
  runner.output("success", totals.success);
  runner.output("skipped", totals.skipped);
  runner.output("failed", totals.failed);
  runner.output("conclusion", conclusion);
  runner.output("check-run-id", checkRun ? String(checkRun.id) : "");
  runner.output("report-path", reportPath);
  const metrics = report?.metrics;
  runner.output("strategy", metrics?.strategy ?? "");
  runner.output("api-calls", metrics?.apiCalls ?? 0);
  runner.output("bytes-fetched", metrics?.bytesFetched ?? 0);
  runner.output("pre-scan-hit-rate", metrics?.preScanHitRate == null ? "" : fraction(metrics.preScanHitRate));
  runner.output("skip-adoption", metrics ? fraction(metrics.skipAdoption) : "");
  runner.output("duration-ms", report ? Math.round(report.timings.total) : "");
}

/** After an error: the conclusion, the check run if there is one, and nothing the run did not get to know. */
function setFailureOutputs(runner: Runner, checkRun: CreatedCheckRun | null): void {
  for (const name of ["discovered", "success", "skipped", "failed"]) runner.output(name, "");
  runner.output("conclusion", "failure");
  runner.output("check-run-id", checkRun ? String(checkRun.id) : "");
  for (const name of ["report-path", "strategy", "api-calls", "bytes-fetched", "pre-scan-hit-rate", "skip-adoption", "duration-ms"]) runner.output(name, "");
}

/** A share from 0 to 1, to four places: enough to compare runs, short enough to read. */
function fraction(value: number): string {
  return String(Math.round(value * 10_000) / 10_000);
}

/**
 * The config input is relative to the workspace. The default file may be absent; then the
 * scan looks for its own default under the folder it indexes, on disk or in the fetched files.
 * Without a checkout only that default can be read.
 */
function configFile(workspace: string, input: string, checkedOut: boolean): string | null {
  const path = resolve(workspace, input);
  if (input === SKIP_FILE_PATH && (!checkedOut || !existsSync(path))) return null;
  if (!checkedOut) throw new InputError(`the config input names ${input}, which needs a checkout; without one, skilldex reads ${SKIP_FILE_PATH} from the fetched files`);
  return path;
}

/**
 * The checkout the path input points at. `source: workspace` requires one; `auto` fetches the
 * files when there is none, saying why; `clone` and `api` fetch them whatever is on disk.
 */
function findCheckout(workspace: string, inputs: Inputs, runner: Runner): Checkout | null {
  if (inputs.source === "clone" || inputs.source === "api") return null;
  try {
    return locateCheckout(workspace, inputs.path);
  } catch (error) {
    if (!(error instanceof CheckoutError) || inputs.source === "workspace") throw error;
    runner.info(`${error.reason}: skilldex fetches the files it reads from GitHub instead (source: auto).`);
    return null;
  }
}

/** Where fetched files stand in for a checkout: the path input's folder of the repository. */
function fetchedPlace(workspace: string, path: string): Checkout {
  const prefix = path.split(/[\\/]+/).filter((part) => part !== "" && part !== ".").join("/");
  if (isAbsolute(path) || prefix.split("/").includes("..")) throw new InputError(`the path input must be a folder inside the repository to be fetched without a checkout, not ${JSON.stringify(path)}`);
  return { root: resolve(workspace, prefix), repoRoot: workspace, prefix };
}

function relocate(error: SkipFileError, root: string, repoRoot: string): SkipFileError {
  const file = relative(repoRoot, resolve(root, error.file)).split(sep).join("/");
  return new SkipFileError(file, error.line, error.column, error.problem);
}

function describeFailure(error: unknown): RunFailure {
  if (error instanceof SkipFileError) {
    // A file outside the repository (a config input such as ../x.yml) cannot be annotated, so the message names the place.
    const inside = !isAbsolute(error.file) && !error.file.split("/").includes("..") && error.line >= 1;
    return inside ? { message: error.problem, place: { file: error.file, line: error.line, col: Math.max(1, error.column) } } : { message: error.message, place: null };
  }
  if (error instanceof InputError || error instanceof CheckoutError || error instanceof SourceOpenError || error instanceof GitError || error instanceof GitHubError) {
    return { message: error.message, place: null };
  }
  return { message: error instanceof Error ? (error.message.split("\n")[0] ?? "unexpected error") : String(error), place: null };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
