import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RedisScanQueueOptions, DEFAULT_LOCK_MS, RedisScanQueue, redisAddress } from "./scan-queue-redis.js";
import type { ScanWorker } from "./scan-queue.js";
import { createProbot } from "probot";
import { Redactor } from "../src/telemetry/redact.js";
import { appCheckRunWorker } from "./check-runs.js";
import { createAppLog } from "./logging.js";
import { AppMetrics } from "./metrics.js";
import { AppOctokit } from "./octokit.js";
import { scanSettingsFromEnv } from "./scan.js";
import { probotEnv } from "./server.js";

/**
 * `npm run worker`: a process that only runs scans, taken from the Redis queue that the App's
 * replicas fill, with the same ScanWorker the App uses. Run as many as the load needs; stop one
 * with SIGTERM and it finishes its scans first (a scan cut off, or a worker killed, is run again
 * by another worker once its lock expires).
 */

/** A setting to fix, not a bug: the entry prints it as one line and exits 2. */
export class WorkerSettingError extends Error {}

export const DEFAULT_WORKER_CONCURRENCY = 2;
/** How long SIGTERM waits for the scans in progress. */
export const WORKER_DRAIN_MS = 25_000;

/**
 * The queue a worker process takes its jobs from: REDIS_URL (required), SCAN_WORKERS scans at
 * once (default 2), SCAN_LOCK_MS (default 30 s) before a dead worker's job is run again elsewhere.
 */
export function workerSettingsFromEnv(env: NodeJS.ProcessEnv): { queue: RedisScanQueueOptions; concurrency: number } {
  const url = env.REDIS_URL?.trim();
  if (!url) throw new WorkerSettingError("REDIS_URL is not set: a worker takes its jobs from the Redis queue the App fills, so give it the App's REDIS_URL");
  const whole = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new WorkerSettingError(`${name} must be a whole number of at least 1, not ${JSON.stringify(raw)}`);
    return n;
  };
  return { queue: { url, lockMs: whole("SCAN_LOCK_MS", DEFAULT_LOCK_MS) }, concurrency: whole("SCAN_WORKERS", DEFAULT_WORKER_CONCURRENCY) };
}

export interface WorkerProcess {
  queue: RedisScanQueue;
  /** Takes no more jobs, waits up to `timeoutMs` for the running ones; true when all finished. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/**
 * Starts taking jobs; `report` gets one line per problem (a job that threw), one when Redis goes
 * away and one when it is back (the worker reconnects by itself), and one on stopping.
 */
export function startWorker(env: NodeJS.ProcessEnv, worker: ScanWorker, report: (line: string) => void): WorkerProcess {
  const settings = workerSettingsFromEnv(env);
  const address = redisAddress(settings.queue.url);
  const queue = new RedisScanQueue({ ...settings.queue, onError: (error) => report(error instanceof Error ? error.message : String(error)), onConnection: (change) => report(change.message) });
  queue.start(worker, settings.concurrency);
  report(`taking scans from Redis at ${address}, ${settings.concurrency} at once`);
  return {
    queue,
    stop: async (timeoutMs = WORKER_DRAIN_MS) => {
      const started = Date.now();
      if (!queue.connected) report(`stopping while Redis at ${address} does not answer: the scans running here finish first, the ones waiting in Redis wait for a worker`);
      const finished = await queue.close(timeoutMs);
      report(`stopped after ${Date.now() - started} ms${finished ? "" : `: a scan still running after ${timeoutMs} ms was cut off, and runs again on another worker once its lock expires`}`);
      return finished;
    },
  };
}

/**
 * The process entry. `scanWorker` builds the App's ScanWorker (its GitHub App credentials come
 * from the same variables as the App's: APP_ID, PRIVATE_KEY, GHE_HOST).
 */
export async function runWorkerProcess(env: NodeJS.ProcessEnv, scanWorker: (env: NodeJS.ProcessEnv) => Promise<ScanWorker>): Promise<void> {
  const report = (line: string): void => void process.stderr.write(`skilldex worker: ${line}\n`);
  let running: WorkerProcess;
  try {
    workerSettingsFromEnv(env);
    running = startWorker(env, await scanWorker(env), report);
  } catch (error) {
    if (!(error instanceof WorkerSettingError)) throw error;
    report(error.message);
    process.exit(2);
  }
  const shutdown = (): void => {
    setTimeout(() => process.exit(0), WORKER_DRAIN_MS + 5000).unref();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

/**
 * The App's own ScanWorker, authenticated as the App from the same variables (APP_ID, PRIVATE_KEY
 * or PRIVATE_KEY_PATH, GHE_HOST, GHE_PROTOCOL), logging as the App does.
 */
export async function appScanWorker(env: NodeJS.ProcessEnv): Promise<ScanWorker> {
  if (!env.APP_ID) throw new WorkerSettingError("APP_ID is not set: a worker posts check runs as the App, so give it the App's APP_ID and PRIVATE_KEY");
  const probot = createProbot({ env: probotEnv(env), overrides: { Octokit: AppOctokit } });
  const log = await createAppLog(env, new Redactor(env));
  return appCheckRunWorker(probot, log, new AppMetrics(), scanSettingsFromEnv(env));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runWorkerProcess(process.env, appScanWorker);
}
