import { resolve } from "node:path";
import { gateReport } from "../src/baseline/gate.js";
import { trips } from "../src/pipeline/fail-on.js";
import type { Report } from "../src/model.js";
import { renderCheckRun } from "../src/report/check-run.js";
import { relativeToRepository } from "../src/report/paths.js";
import { breakdownLine } from "../src/report/summary.js";
import { createLogger, parseLogLevel } from "../src/telemetry/log.js";
import { Redactor } from "../src/telemetry/redact.js";
import { setupTracing } from "../src/telemetry/trace.js";
import { VERSION } from "../src/version.js";
import { fetchedPlace, findCheckout } from "./checkout.js";
import { githubClient, type Context, type RunDeps } from "./context.js";
import { readEvent, resolveTarget } from "./event.js";
import { describeFailure } from "./failure.js";
import { makeFixPatch } from "./fix.js";
import type { CreatedCheckRun } from "./github.js";
import { readInputs } from "./inputs.js";
import { setFailureOutputs, setOutputs } from "./outputs.js";
import { publishFailure, publishResults, writeJobSummary, writeReportFile } from "./publish.js";
import { Runner } from "./runner.js";
import { scanTarget } from "./scan.js";

export type { RunDeps } from "./context.js";

export interface RunResult {
  exitCode: 0 | 1;
  conclusion: string;
  checkRunId: number | null;
  report: Report | null;
}

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

/** What the run got done before an error stopped it, so that the error path neither repeats nor contradicts it. */
interface Progress {
  startedAt: Date;
  checkRun: CreatedCheckRun | null;
  outputsSet: boolean;
}

async function runAction(context: Context, progress: Progress): Promise<RunResult> {
  const { env, runner, log, clock } = context;
  const started = clock.elapsed();

  // Inputs: what to index, and the commit the check run goes on.
  const inputs = readInputs(runner);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const checkout = findCheckout(workspace, inputs, runner);
  // Without a checkout the files are fetched at the commit the check run goes on, from the path input's folder.
  const place = checkout ?? fetchedPlace(workspace, inputs.path);
  const target = await resolveTarget(readEvent(env), env, checkout?.root ?? null);
  for (const notice of target.notices) runner.notice(notice);
  const { headSha } = target;
  if (headSha === null) {
    setOutputs(runner, null, "neutral", null, "");
    progress.outputsSet = true;
    return { exitCode: 0, conclusion: "neutral", checkRunId: null, report: null };
  }
  runner.info(`skilldex ${VERSION}: indexing ${place.prefix || "the repository"} at ${headSha.slice(0, 7)}${target.base ? `, compared with ${target.base.slice(0, 7)}` : ""}`);

  // Source and pipeline.
  const client = githubClient(context, inputs.token, target);
  const gated = await gateReport(await scanTarget(context, { inputs, workspace, checkout, place, target: { ...target, headSha }, client }), { onlyNew: inputs.onlyNew, filter: inputs.filter, base: target.base });
  const { report } = gated;
  for (const notice of gated.notices) runner.notice(notice);
  runner.info(breakdownLine(report, true));

  // Publish: the check run (or the log's annotations), the job summary, the JSON report.
  const tripped = trips(gated.failing, inputs.failOn);
  // Paths in the check run and the job summary are from the repository root, as GitHub links them.
  const shown = relativeToRepository(report, place.prefix);
  const reportPath = inputs.reportPath ? resolve(workspace, inputs.reportPath) : "";
  const rendered = renderCheckRun(shown, {
    tripped,
    maxAnnotations: inputs.maxAnnotations,
    fullReportAt: inputs.reportPath ? `the JSON report (${inputs.reportPath})` : "the job summary of the workflow run",
  });
  const publishing = clock.elapsed();
  const published = await publishResults(context, client, inputs.token, { name: inputs.checkName, headSha, startedAt: progress.startedAt, rendered });
  const { checkRun } = published;
  progress.checkRun = checkRun;
  // The calls that fetched the files, if any, and those that read the settings and published the results.
  report.metrics.apiCalls += client.requests;
  report.timings.publishing = round(clock.elapsed() - publishing);
  // The safe fixes as a patch, for the job summary and the fix-patch output.
  const fix = await makeFixPatch(context, { inputs, workspace, checkout, place, target, report });
  report.timings.total = round(clock.elapsed() - started);
  writeJobSummary(runner, shown, rendered, published, { apiCalls: report.metrics.apiCalls, path: place.prefix || ".", fixes: fix.summary });
  if (reportPath) writeReportFile(reportPath, report);

  // Outputs, and the step's result.
  setOutputs(runner, report, rendered.conclusion, checkRun, reportPath, fix);
  progress.outputsSet = true;
  const annotations = rendered.annotationBatches.reduce((sum, batch) => sum + batch.length, 0);
  log.info("action finished", { conclusion: rendered.conclusion, checkRunId: checkRun?.id ?? null, apiCalls: report.metrics.apiCalls, annotations, durationMs: report.timings.total });
  if (tripped) runner.fail(`skilldex: ${breakdownLine(report)} (fail-on: ${inputs.failOn})`);
  return { exitCode: tripped ? 1 : 0, conclusion: rendered.conclusion, checkRunId: checkRun?.id ?? null, report };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
