import type { Logger } from "probot";
import { type CheckRunAction, completeCheckRun, postRenderedCheckRun } from "../src/github/checks.js";
import { fixableCounts } from "../src/fix/fix.js";
import { GitHubError } from "../src/github/errors.js";
import type { Profile, Report } from "../src/model.js";
import { trips } from "../src/pipeline/fail-on.js";
import { renderCheckRun, renderFailedCheckRun, type RunFailure } from "../src/report/check-run.js";
import { breakdownLine } from "../src/report/summary.js";
import { SkipFileError } from "../src/skips/index.js";
import type { AppMetrics } from "./metrics.js";
import { installationRepository, type InstallationOctokit, scanCacheFromEnv, scanCommit, type ScanSettings } from "./scan.js";
import type { ScanJob, ScanWorker, Superseded } from "./scan-queue.js";

/** The App runs its check again on the next push, or when someone presses "Re-run" on the check. */
const APP_AGAIN = "push again, or press Re-run on this check";

/** The check run's name, as the Action names its own by default. */
export const CHECK_NAME = "skilldex";
/** The Action's default max-annotations. */
export const MAX_ANNOTATIONS = 1000;
/** Supersessions come within minutes of the scan they replace; far more check runs than complete in that time. */
const COMPLETED_REMEMBERED = 10_000;
/** Where the check run says the whole report can be had: the App keeps none of its own. */
const FULL_REPORT_AT = "the JSON report of `skilldex scan --format json` on this commit";

/** The buttons' identifiers (GitHub allows 20 characters): what to do, and the profile the run used. */
export const SKIP_FAILED = "skip";
export const RERUN_WITH = "profile";
export const FIX_SAFE = "fix";

export function buttonIdentifier(verb: typeof SKIP_FAILED | typeof RERUN_WITH | typeof FIX_SAFE, profile: Profile): string {
  return `${verb}:${profile}`;
}

export function parseButton(identifier: string): { verb: string; profile: Profile } | null {
  const [verb, profile] = identifier.split(":");
  if ((verb !== SKIP_FAILED && verb !== RERUN_WITH && verb !== FIX_SAFE) || (profile !== "claude-code" && profile !== "agentskills")) return null;
  return { verb, profile };
}

/** A fork's pull request scans the ref GitHub keeps for it here: no branch the App could commit to. */
export function isPullRef(branch: string | null): boolean {
  return branch !== null && /^pull\/\d+\/head$/.test(branch);
}

/**
 * The buttons a completed check run offers (GitHub shows three at most), each only where it can
 * work: "Fix safe" when a safe fix applies and the commit is on a branch of this repository;
 * "Skip failed" when something failed, skip preferences are on and the commit is on such a
 * branch; a re-run with the other profile always.
 */
export function buttonsFor(job: Pick<ScanJob, "branch">, report: Report, skipPreferences: boolean): CheckRunAction[] {
  const actions: CheckRunAction[] = [];
  const onBranch = job.branch !== null && !isPullRef(job.branch);
  if (onBranch && fixableCounts(report).safe > 0) {
    actions.push({ label: "Fix safe", description: "Commit the safe fixes to this branch", identifier: buttonIdentifier(FIX_SAFE, report.profile) });
  }
  if (report.totals.failed > 0 && skipPreferences && onBranch) {
    actions.push({ label: "Skip failed", description: "Commit skip entries for the failed ones", identifier: buttonIdentifier(SKIP_FAILED, report.profile) });
  }
  const other: Profile = report.profile === "agentskills" ? "claude-code" : "agentskills";
  actions.push({ label: `Re-run: ${other}`, description: other === "agentskills" ? "Check against the Agent Skills spec" : "Check as Claude Code loads them", identifier: buttonIdentifier(RERUN_WITH, other) });
  return actions;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The check run while its scan waits or runs. */
export function inProgressOutput(job: Pick<ScanJob, "headSha" | "base" | "profile">): { title: string; summary: string } {
  const against = job.base ? `, compared with \`${shortSha(job.base)}\`` : "";
  return { title: "Indexing the agent artifacts", summary: `skilldex is indexing the agent artifacts of \`${shortSha(job.headSha)}\`${against}${job.profile ? ` with the \`${job.profile}\` profile` : ""}.` };
}

/** The check run of a job a newer one took the place of. */
export function supersededOutput({ job, by }: Superseded): { conclusion: "cancelled" | "skipped"; title: string; summary: string; text: string } {
  if (by.headSha === job.headSha) {
    const why = by.pullRequest !== null ? `the scan of the same commit for pull request #${by.pullRequest}` : "a newer scan of the same commit";
    return { conclusion: "skipped", title: `Replaced by ${why.replace(/^the /, "")}`, summary: `This scan of \`${shortSha(job.headSha)}\` was replaced by ${why}, whose check run has the results.`, text: "" };
  }
  const where = job.branch && !isPullRef(job.branch) ? `the branch \`${job.branch}\`` : job.pullRequest !== null ? `pull request #${job.pullRequest}` : "the same branch";
  return {
    conclusion: "cancelled",
    title: `Superseded by ${shortSha(by.headSha)}`,
    summary: `A newer push to ${where} replaced \`${shortSha(job.headSha)}\` with \`${by.headSha}\` before this scan finished; the check run of \`${shortSha(by.headSha)}\` has the results.`,
    text: "",
  };
}

export interface CheckRunWorkerOptions {
  /** An Octokit authenticated as the installation (probot's `auth(id)`). */
  auth: (installationId: number) => Promise<InstallationOctokit>;
  log: Logger;
  metrics: AppMetrics;
  scan: ScanSettings;
  now: () => Date;
}

/**
 * Runs scan jobs: fetch and scan the commit, then complete its check run with the Action's
 * renderer and the buttons that can work there; a job superseded completes as cancelled.
 */
export class CheckRunWorker implements ScanWorker {
  /** Check runs this process completed, so a supersession that comes late does not undo one. */
  private readonly completed = new Set<number>();

  constructor(private readonly options: CheckRunWorkerOptions) {}

  async run(job: ScanJob, signal: AbortSignal): Promise<void> {
    const { metrics, now } = this.options;
    const log = this.jobLog(job);
    const waited = Math.max(0, now().getTime() - job.enqueuedAt) / 1000;
    metrics.scanWaited(waited);
    const started = performance.now();
    const startedAt = now().toISOString();
    // Null for a job superseded while it ran: superseded() counts it, once.
    let outcome: string | null = "error";
    try {
      const octokit = await this.options.auth(job.installationId);
      const repository = installationRepository(octokit, job.owner, job.repo);
      log.info({ checkRunId: job.checkRunId, waitedMs: Math.round(waited * 1000) }, "skilldex scan started");
      let report: Report;
      let skipPreferences: boolean;
      try {
        const scanned = await scanCommit(octokit, job, this.options.scan, log);
        report = scanned.report;
        skipPreferences = this.options.scan.skipPreferences && scanned.config.skipPreferences;
      } catch (error) {
        if (signal.aborted) {
          outcome = null;
          return;
        }
        if (error instanceof GitHubError && error.kind !== "not_found") throw error;
        // The settings file or the files themselves refused the scan: that is the check run's to say.
        outcome = "failure";
        const rendered = renderFailedCheckRun({ ...failureOf(error), again: APP_AGAIN });
        const { checkRun } = await postRenderedCheckRun(repository, { name: CHECK_NAME, headSha: job.headSha, startedAt, completedAt: now().toISOString(), rendered, inProgress: job.checkRunId });
        this.remember(checkRun.id);
        log.warn({ problem: failureOf(error).message, checkRunId: checkRun.id }, "skilldex could not scan the commit");
        return;
      }
      if (signal.aborted) {
        outcome = null;
        return;
      }
      const rendered = renderCheckRun(report, { tripped: trips(report, "failed"), maxAnnotations: MAX_ANNOTATIONS, fullReportAt: FULL_REPORT_AT });
      // A job queued without a check run (none could be created then) gets one created completed here.
      const { checkRun, missingAnnotations } = await postRenderedCheckRun(repository, {
        name: CHECK_NAME,
        headSha: job.headSha,
        startedAt,
        completedAt: now().toISOString(),
        rendered,
        inProgress: job.checkRunId,
        actions: buttonsFor(job, report, skipPreferences),
      });
      this.remember(checkRun.id);
      outcome = rendered.conclusion;
      if (missingAnnotations) log.warn({ problem: missingAnnotations.message }, "skilldex could not add every annotation to the check run");
      log.info(
        {
          checkRunId: checkRun.id,
          conclusion: rendered.conclusion,
          breakdown: breakdownLine(report),
          profile: report.profile,
          apiCalls: report.metrics.apiCalls,
          bytesFetched: report.metrics.bytesFetched,
          waitedMs: Math.round(waited * 1000),
          durationMs: Math.round(performance.now() - started),
        },
        "skilldex scan finished",
      );
    } catch (error) {
      log.error({ problem: error instanceof Error ? error.message : String(error), checkRunId: job.checkRunId }, "skilldex could not finish a scan");
      await this.completeAfterError(job, error);
    } finally {
      if (outcome !== null) metrics.scanFinished(outcome, (performance.now() - started) / 1000);
    }
  }

  async superseded(event: Superseded): Promise<void> {
    const { job } = event;
    if (job.checkRunId === null || this.completed.has(job.checkRunId)) return;
    const log = this.jobLog(job);
    const { conclusion, title, summary, text } = supersededOutput(event);
    try {
      const octokit = await this.options.auth(job.installationId);
      await completeCheckRun(installationRepository(octokit, job.owner, job.repo), job.checkRunId, { conclusion, completedAt: this.options.now().toISOString(), output: { title, summary, text }, annotations: [] });
      this.remember(job.checkRunId);
      this.options.metrics.scanFinished("superseded", 0);
      log.info({ checkRunId: job.checkRunId, supersededBy: event.by.headSha, byDelivery: event.by.deliveryId }, "skilldex scan superseded");
    } catch (error) {
      log.warn({ problem: error instanceof Error ? error.message : String(error), checkRunId: job.checkRunId }, "skilldex could not complete a superseded check run");
    }
  }

  /** A long-running worker remembers the check runs it completed lately, not all of them. */
  private remember(checkRunId: number): void {
    this.completed.add(checkRunId);
    if (this.completed.size > COMPLETED_REMEMBERED) this.completed.delete(this.completed.values().next().value as number);
  }

  /** The delivery that asked for the scan is the trace id of every line the scan writes. */
  private jobLog(job: ScanJob): Logger {
    return this.options.log.child({ traceId: job.deliveryId, job: job.id, repository: `${job.owner}/${job.repo}`, sha: job.headSha });
  }

  /** A check run left in progress would spin forever: it says what stopped the scan. */
  private async completeAfterError(job: ScanJob, error: unknown): Promise<void> {
    try {
      const octokit = await this.options.auth(job.installationId);
      const rendered = renderFailedCheckRun({ message: `skilldex could not finish the scan: ${error instanceof Error ? error.message : String(error)}`, place: null, again: APP_AGAIN });
      const { checkRun } = await postRenderedCheckRun(installationRepository(octokit, job.owner, job.repo), { name: CHECK_NAME, headSha: job.headSha, startedAt: this.options.now().toISOString(), completedAt: this.options.now().toISOString(), rendered, inProgress: job.checkRunId });
      this.remember(checkRun.id);
    } catch {
      // GitHub itself is what failed; the log line above says so.
    }
  }
}

function failureOf(error: unknown): RunFailure {
  if (error instanceof SkipFileError) return { message: error.message, place: { file: error.file, line: error.line, col: error.column } };
  return { message: error instanceof Error ? error.message : String(error), place: null };
}

/** The App's scan worker, as the App process and `npm run worker` both run it: authenticated as the installation through probot. */
export function appCheckRunWorker(probot: { auth(installationId: number): Promise<unknown> }, log: Logger, metrics: AppMetrics, scan: ScanSettings): CheckRunWorker {
  // One result cache for every scan this worker runs: a push that changes one artifact validates that one.
  const cache = scan.cache ?? scanCacheFromEnv(scan.env, (error) => log.warn({ problem: error instanceof Error ? error.message : String(error) }, "skilldex result cache"));
  return new CheckRunWorker({ auth: (installationId) => probot.auth(installationId) as Promise<InstallationOctokit>, log, metrics, scan: { ...scan, cache }, now: () => new Date() });
}
