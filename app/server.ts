import { existsSync } from "node:fs";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type Logger, type ProbotOctokit, run } from "probot";
import { Redactor } from "../src/telemetry/redact.js";
import { type AppSettings, createApp, isWanted } from "./app.js";
import { appCheckRunWorker } from "./check-runs.js";
import { healthHandler } from "./health.js";
import { readinessHandler } from "./readiness.js";
import { createAppLog } from "./logging.js";
import { AppMetrics, metricsHandler } from "./metrics.js";
import { AppOctokit } from "./octokit.js";
import { WorkQueue } from "./queue.js";
import { scanSettingsFromEnv } from "./scan.js";
import { DEFAULT_WEBHOOK_PATH, needsRegistration, readAppYml, startSetupServer } from "./setup.js";
import { MemoryScanQueue, scanWorkersFromEnv } from "./scan-queue-memory.js";
import { webhookHandler } from "./webhooks.js";

export interface ServerOptions {
  /** A logger to use instead of the app's own (which redacts secrets and binds trace ids). */
  log?: Logger;
  /** Where the app's own logger writes; standard output by default. */
  logDestination?: Writable;
  Octokit?: typeof ProbotOctokit;
  settings?: Partial<AppSettings>;
}

/** Deliveries handled at once; each waits on GitHub far more than it computes. */
export const WORKERS = 64;
/** Deliveries acknowledged and waiting, beyond which a webhook is answered 503. */
export const QUEUE_CAPACITY = 1000;
/** How long stopping waits for acknowledged deliveries to finish. */
export const DRAIN_MS = 25_000;

export interface AppServer {
  readonly port: number;
  /** Stops taking webhooks, then waits for the deliveries already acknowledged (up to DRAIN_MS). */
  stop(): Promise<void>;
}

/**
 * Starts probot's HTTP server with the app, its own webhook route (see webhooks.ts), the health
 * endpoint and the metrics endpoint, configured by probot's own variables (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL,
 * LOG_FORMAT) plus ENABLE_SKIP_PREFERENCES. Refuses to start without WEBHOOK_SECRET outside
 * development and tests (a MissingWebhookSecret).
 */
export async function startServer(env: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<AppServer> {
  const metrics = options.settings?.metrics ?? new AppMetrics();
  const redactor = options.settings?.redactor ?? new Redactor(env);
  // `.env` as probot reads it, so that credentials written there by the registration page count.
  if (env === process.env && existsSync(".env")) process.loadEnvFile(".env");
  const log = options.log ?? (await createAppLog(env, redactor, options.logDestination));
  // Without credentials yet, the registration page: probot's own would register the webhook at
  // `/` and look for a smee.io channel.
  // app.yml of this checkout, as `node lib/app/setup.js` reads it (lib/app/ is two folders below it).
  if (needsRegistration(env)) return startSetupServer({ env, log, appYml: readAppYml(fileURLToPath(new URL("../../app.yml", import.meta.url))) });
  // With REDIS_URL the scans go to the queue every App and `npm run worker` process shares;
  // without it they run in this process. BullMQ is loaded only when it is used.
  const onRedis = Boolean(env.REDIS_URL) && !options.settings?.scans;
  const scans =
    options.settings?.scans ??
    (onRedis && env.REDIS_URL
      ? new (await import("./scan-queue-redis.js")).RedisScanQueue({
          url: env.REDIS_URL,
          onError: (error) => log.warn({ problem: redactor.redact(String(error)) }, "skilldex scan queue"),
          onConnection: (change) => (change.state === "lost" ? log.warn({ redis: change.state }, change.message) : log.info({ redis: change.state, downMs: change.downMs }, change.message)),
        })
      : new MemoryScanQueue());
  metrics.depthOf = () => scans.depth();
  const app = createApp({ ...options.settings, metrics, redactor, scans }, env);
  const queue = new WorkQueue(WORKERS, QUEUE_CAPACITY, (error) => log.error({ problem: error instanceof Error ? error.message : String(error) }, "skilldex could not finish a delivery"));
  const webhookPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
  const server = await run(
    async (probot, appOptions) => {
      // Checked here, after `.env` has been read into the environment.
      requireWebhookSecret(env);
      await app(probot, appOptions);
      // On Redis, SCAN_WORKERS=0 leaves every scan to `npm run worker` processes, so this
      // process's event loop only answers webhooks; in memory nothing else would scan.
      const workers = scanWorkersFromEnv(env, onRedis ? 0 : 1);
      if (!onRedis && env.SCAN_WORKERS?.trim() === "0") log.warn({ scanWorkers: workers }, `skilldex runs ${workers} scans at once in this process: SCAN_WORKERS=0 needs REDIS_URL, with npm run worker processes to run the scans`);
      if (workers > 0) scans.start(appCheckRunWorker(probot, log, metrics, options.settings?.scan ?? scanSettingsFromEnv(env)), workers);
      log.info({ scanWorkers: workers, queue: onRedis ? "redis" : "memory" }, workers > 0 ? `skilldex runs up to ${workers} scans at once in this process` : "skilldex runs no scans in this process: npm run worker processes take them from Redis");
      // probot.webhooks.receive, not probot.receive, which logs the whole payload at debug.
      appOptions.addHandler(
        webhookHandler({ path: webhookPath, secret: env.WEBHOOK_SECRET || "development", log, queue, wanted: isWanted, receive: (event) => probot.webhooks.receive(event as Parameters<typeof probot.receive>[0]) }),
      );
      appOptions.addHandler(healthHandler);
      appOptions.addHandler(readinessHandler(scans, onRedis ? "redis" : "memory"));
      appOptions.addHandler(metricsHandler(metrics));
    },
    {
      // probot's own webhook route buffers the whole body before checking the signature. Its
      // path gets a `?`, which no request's path can hold, so every delivery reaches the route
      // above instead; a smee proxy, which posts to that path verbatim, reaches it too.
      env: { ...probotEnv(env), WEBHOOK_PATH: `${webhookPath}?` },
      log,
      Octokit: options.Octokit ?? AppOctokit,
    },
  );
  return {
    get port() {
      return server.port;
    },
    async stop() {
      const started = Date.now();
      if ((scans as { connected?: boolean }).connected === false) log.warn("skilldex stops while Redis does not answer: the scans waiting there wait for a worker once it is back");
      await Promise.all([server.stop(), queue.drain(DRAIN_MS), scans.close(DRAIN_MS)]);
      log.info({ durationMs: Date.now() - started }, "skilldex stopped");
    },
  };
}

/**
 * The variables probot reads, without REDIS_URL: with it, probot would pace every GitHub request
 * through Bottleneck on that Redis, whose settings key a restarted or flushed Redis no longer
 * holds, so every request would fail (ERR SETTINGS_KEY_NOT_FOUND) until the process restarted.
 * REDIS_URL is the scan queue's alone; each process paces its own requests.
 */
export function probotEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _queueOnly, ...rest } = env;
  return rest;
}

/** The app would start with a setting missing that it cannot run safely without. */
export class MissingWebhookSecret extends Error {
  constructor() {
    super(
      "WEBHOOK_SECRET is not set. Without it, probot checks webhook signatures against its public default secret (\"development\"), so anyone could forge a webhook. Set WEBHOOK_SECRET to the GitHub App's webhook secret; only NODE_ENV=development or NODE_ENV=test may run without one.",
    );
    this.name = "MissingWebhookSecret";
  }
}

/** Probot falls back to the secret "development" when WEBHOOK_SECRET is unset or empty. */
export function requireWebhookSecret(env: NodeJS.ProcessEnv): void {
  if (env.WEBHOOK_SECRET) return;
  if (env.NODE_ENV === "development" || env.NODE_ENV === "test") return;
  throw new MissingWebhookSecret();
}
