/**
 * The queue between the webhooks that ask for a scan and the workers that run it. The webhook
 * handler only adds a job and answers; a worker takes it, scans and posts the check run. Two
 * implementations keep the same contract: in this process (the default), and on Redis when
 * `REDIS_URL` is set, shared by any number of App and worker processes.
 */
import type { Profile } from "../src/model.js";

/** What asked for the scan. */
export type ScanTrigger = "push" | "pull_request" | "check_suite" | "check_run" | "requested_action";

/** One scan to run: plain data, so it can travel through Redis as JSON. */
export interface ScanJob {
  /** Unique per job; the delivery id of the webhook that asked for it, or derived from it. */
  id: string;
  /** The webhook delivery, carried into the job's logs as its trace id. */
  deliveryId: string;
  trigger: ScanTrigger;
  installationId: number;
  owner: string;
  repo: string;
  /** The commit to scan. */
  headSha: string;
  /** The branch the commit is on, when known; a newer job for the same branch supersedes this one. */
  branch: string | null;
  /** The commit to compare with: the push's `before` or the pull request's base; null when none. */
  base: string | null;
  /** The pull request, when the scan is for one. */
  pullRequest: number | null;
  /** The check run already created as `in_progress` for this job, when there is one. */
  checkRunId: number | null;
  /** A profile asked for by a button, overriding the settings file's. */
  profile: Profile | null;
  /** When the webhook was answered (ms since the epoch), for the queue's wait time. */
  enqueuedAt: number;
  /** The settings file at the commit as the webhook read it (null: none), so the scan does not read it again; absent when too large to carry. */
  settingsFile?: string | null;
}

/** The branch a job competes on: a newer job with the same lane supersedes an older one. */
export function laneOf(job: Pick<ScanJob, "installationId" | "owner" | "repo" | "branch" | "headSha">): string {
  return `${job.installationId}/${job.owner}/${job.repo}#${job.branch ?? job.headSha}`;
}

/** Why a job ended without running to completion. */
export interface Superseded {
  job: ScanJob;
  /** The newer job that took its lane. */
  by: ScanJob;
}

export interface ScanWorker {
  /** Runs one job. `signal` aborts when a newer job supersedes it while it runs. */
  run(job: ScanJob, signal: AbortSignal): Promise<void>;
  /** Called once for every job superseded before or while it ran (to complete its check run as cancelled). */
  superseded(event: Superseded): Promise<void>;
}

export interface ScanQueue {
  /**
   * Records the job; resolves once it is stored (in memory or in Redis), before it runs. An older
   * job of the same lane that is still waiting is superseded at once; one that is running has its
   * signal aborted. False when the queue is full or closing: the caller answers 503.
   */
  add(job: ScanJob): Promise<boolean>;
  /** Starts taking jobs with at most `concurrency` running in this process. */
  start(worker: ScanWorker, concurrency: number): void;
  /** Jobs waiting and running, across every process that shares the queue. */
  depth(): Promise<{ waiting: number; running: number }>;
  /** Whether the queue's store answers (always true in memory; a PING for Redis). */
  ready(): Promise<boolean>;
  /** Takes no more jobs and waits up to `timeoutMs` for running ones; true when all finished. */
  close(timeoutMs: number): Promise<boolean>;
}
