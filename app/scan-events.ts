import type { Context, Logger } from "probot";
import { appChecksEnabled } from "../src/config.js";
import { completeCheckRun, startCheckRun } from "../src/github/checks.js";
import { readFileAtRef } from "../src/github/files.js";
import type { Profile } from "../src/model.js";
import { SKIP_FILE_PATH } from "../src/skips/index.js";
import { CHECK_NAME, inProgressOutput } from "./check-runs.js";
import { actionReportsOn } from "./action-checks.js";
import { installationRepository, type InstallationOctokit } from "./scan.js";
import type { ScanJob, ScanQueue, ScanTrigger } from "./scan-queue.js";

/**
 * The deliveries that ask for a scan: a push, a pull request opened, pushed to or reopened, a
 * check suite GitHub asks for or someone re-runs, a check run someone re-runs. Each gets its check
 * run `in_progress` at once and a job on the queue; the scan runs later, on a worker.
 */

export const SCAN_EVENTS = [
  "push",
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "check_suite.requested",
  "check_suite.rerequested",
  "check_run.rerequested",
] as const;

const NO_COMMIT = /^0{40}$/;

/** What one delivery asks to scan. */
export interface ScanRequest {
  trigger: ScanTrigger;
  headSha: string;
  branch: string | null;
  base: string | null;
  pullRequest: number | null;
  /** Sent by GitHub for every push, as `push` is: scanned only when the push was not. */
  automatic: boolean;
}

interface PullRef {
  number: number;
  head: { ref: string; sha: string; repo?: { full_name?: string } | null };
  base: { ref: string; sha: string; repo?: { full_name?: string } | null };
}

interface ScanPayload {
  action?: string;
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
  repository: { full_name: string; name: string; owner: { login: string } };
  pull_request?: PullRef;
  check_suite?: { head_sha: string; head_branch: string | null; before?: string | null; pull_requests?: PullRef[] };
  check_run?: { head_sha: string; check_suite?: { head_branch?: string | null; before?: string | null }; pull_requests?: PullRef[] };
  installation?: { id: number };
}

function commitOrNull(sha: string | null | undefined): string | null {
  return sha && !NO_COMMIT.test(sha) ? sha : null;
}

/** A pull request from a fork scans as the ref GitHub keeps for it here, `pull/N/head`, so it competes with no branch of this repository. */
function pullBranch(pull: PullRef, repository: string): string {
  const sameRepository = pull.head.repo?.full_name?.toLowerCase() === repository.toLowerCase();
  return sameRepository ? pull.head.ref : `pull/${pull.number}/head`;
}

/** What the delivery asks to scan; null for one that asks for none (a tag, a deleted branch, another action). */
export function scanRequestOf(name: string, payload: unknown): ScanRequest | null {
  const p = payload as ScanPayload;
  if (!p?.repository) return null;
  if (name === "push") {
    if (!p.ref?.startsWith("refs/heads/") || p.deleted || !commitOrNull(p.after)) return null;
    return { trigger: "push", headSha: p.after as string, branch: p.ref.slice("refs/heads/".length), base: commitOrNull(p.before), pullRequest: null, automatic: true };
  }
  if (name === "pull_request" && p.pull_request && ["opened", "synchronize", "reopened"].includes(p.action ?? "")) {
    const pull = p.pull_request;
    return { trigger: "pull_request", headSha: pull.head.sha, branch: pullBranch(pull, p.repository.full_name), base: pull.base.sha, pullRequest: pull.number, automatic: false };
  }
  if (name === "check_suite" && p.check_suite && (p.action === "requested" || p.action === "rerequested")) {
    const suite = p.check_suite;
    const pull = suite.pull_requests?.[0];
    return {
      trigger: "check_suite",
      headSha: suite.head_sha,
      branch: suite.head_branch ?? null,
      base: pull ? pull.base.sha : commitOrNull(suite.before),
      pullRequest: pull?.number ?? null,
      automatic: p.action === "requested",
    };
  }
  if (name === "check_run" && p.check_run && p.action === "rerequested") {
    const run = p.check_run;
    const pull = run.pull_requests?.[0];
    return {
      trigger: "check_run",
      headSha: run.head_sha,
      branch: run.check_suite?.head_branch ?? null,
      base: pull ? pull.base.sha : commitOrNull(run.check_suite?.before),
      pullRequest: pull?.number ?? null,
      automatic: false,
    };
  }
  return null;
}

/**
 * Commits scanned lately, so that the `check_suite.requested` GitHub sends with every push does
 * not scan the pushed commit a second time. Per process and bounded; between replicas the lane
 * arbitrates (the later job supersedes the earlier, whose run says it was replaced).
 */
export class RecentScans {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
  ) {}

  /** True when the commit was scanned within the window; records it otherwise. */
  check(key: string, now: number): boolean {
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.delete(key);
    this.seen.set(key, now);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
    return false;
  }
}

export interface ScanEventSettings {
  scans: ScanQueue;
  recent: RecentScans;
  now: () => Date;
}

export interface QueueScanOptions {
  deliveryId: string;
  installationId: number;
  owner: string;
  repo: string;
  request: ScanRequest;
  profile: Profile | null;
  log: Logger;
}

/** A settings file up to this size travels with its job, so the worker does not read it again; a larger one is read again there. */
export const CARRIED_SETTINGS_BYTES = 256 * 1024;

/**
 * Reads the settings file at the commit and looks for the Action's check run there (at once, two
 * requests); unless `app-checks` is false or the Action reports on the commit, creates the check
 * run in progress and adds the job, which carries the file it read. Says whether a scan was
 * queued. A full queue completes the check run at once with the reason.
 */
export async function queueScan(octokit: InstallationOctokit, options: QueueScanOptions, settings: ScanEventSettings): Promise<boolean> {
  const { request, log } = options;
  // Taken before any request to GitHub, so jobs are as new as their deliveries, whichever handler is quicker.
  const enqueuedAt = settings.now().getTime();
  const repository = installationRepository(octokit, options.owner, options.repo);
  const [file, actionReports] = await Promise.all([readFileAtRef(repository, SKIP_FILE_PATH, request.headSha), actionReportsOn(repository, request.headSha)]);
  const settingsFile = file ? Buffer.from(file.bytes).toString("utf8") : null;
  if (!appChecksEnabled(settingsFile)) {
    log.info({ sha: request.headSha }, `skilldex posts no check run: app-checks is false in ${SKIP_FILE_PATH}`);
    return false;
  }
  if (actionReports) {
    log.info({ sha: request.headSha }, "skilldex posts no check run: the skilldex Action reports on this commit");
    return false;
  }
  const job: ScanJob = {
    id: `${options.deliveryId}:${request.headSha}${options.profile ? `:${options.profile}` : ""}`,
    deliveryId: options.deliveryId,
    trigger: request.trigger,
    installationId: options.installationId,
    owner: options.owner,
    repo: options.repo,
    headSha: request.headSha,
    branch: request.branch,
    base: request.base,
    pullRequest: request.pullRequest,
    checkRunId: null,
    profile: options.profile,
    enqueuedAt,
    ...(settingsFile === null || settingsFile.length <= CARRIED_SETTINGS_BYTES ? { settingsFile } : {}),
  };
  const started = await startCheckRun(repository, { name: CHECK_NAME, headSha: request.headSha, startedAt: new Date(enqueuedAt).toISOString(), output: inProgressOutput(job) });
  job.checkRunId = started.id;
  if (await settings.scans.add(job)) {
    log.info({ job: job.id, checkRunId: started.id, sha: job.headSha, branch: job.branch, base: job.base, pullRequest: job.pullRequest, trigger: job.trigger }, "skilldex scan queued");
    return true;
  }
  await completeCheckRun(repository, started.id, {
    conclusion: "cancelled",
    completedAt: settings.now().toISOString(),
    output: { title: "Not scanned: too many scans waiting", summary: "skilldex had too many scans waiting or was shutting down, so this commit was not scanned. Re-run the check to scan it.", text: "" },
    annotations: [],
  });
  log.warn({ job: job.id, checkRunId: started.id }, "skilldex refused a scan: the queue is full or closing");
  return false;
}

type ScanContext = Context<"push" | "pull_request" | "check_suite" | "check_run">;

/** One delivery that may ask for a scan: parse → dedupe → app-checks → check run in progress → queue. */
export async function handleScanEvent(context: ScanContext, settings: ScanEventSettings): Promise<"scan" | "ignored"> {
  const request = scanRequestOf(context.name, context.payload);
  const installationId = (context.payload as ScanPayload).installation?.id;
  if (request === null || installationId === undefined) return "ignored";
  const { repository } = context.payload as ScanPayload;
  const log = context.log.child({ traceId: context.id, repository: repository.full_name });
  const key = `${installationId}/${repository.full_name}@${request.headSha}`;
  // A pull request's scan has its base to compare with, and a re-run is asked for: both always run.
  const seen = request.automatic && settings.recent.check(key, settings.now().getTime());
  if (seen) {
    log.debug({ sha: request.headSha, event: context.name }, "skilldex already scans this commit");
    return "ignored";
  }
  const queued = await queueScan(context.octokit as unknown as InstallationOctokit, { deliveryId: context.id, installationId, owner: repository.owner.login, repo: repository.name, request, profile: null, log }, settings);
  return queued ? "scan" : "ignored";
}
