import type { Writable } from "node:stream";
import { type Logger, type ProbotOctokit, run, type Server } from "probot";
import { Redactor } from "../src/telemetry/redact.js";
import { type AppSettings, createApp } from "./app.js";
import { healthHandler } from "./health.js";
import { createAppLog } from "./logging.js";
import { AppMetrics, metricsHandler } from "./metrics.js";

export interface ServerOptions {
  /** A logger to use instead of the app's own (which redacts secrets and binds trace ids). */
  log?: Logger;
  /** Where the app's own logger writes; standard output by default. */
  logDestination?: Writable;
  Octokit?: typeof ProbotOctokit;
  settings?: Partial<AppSettings>;
}

/**
 * Starts probot's HTTP server with the app, the health endpoint and the metrics endpoint,
 * configured by probot's own variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET,
 * PORT, HOST, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, LOG_FORMAT) plus ENABLE_SKIP_PREFERENCES.
 * Refuses to start without WEBHOOK_SECRET outside development and tests (a MissingWebhookSecret).
 */
export async function startServer(env: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<Server> {
  const metrics = options.settings?.metrics ?? new AppMetrics();
  const redactor = options.settings?.redactor ?? new Redactor(env);
  const app = createApp({ ...options.settings, metrics, redactor }, env);
  const log = options.log ?? (await createAppLog(env, redactor, options.logDestination));
  return await run(
    async (probot, appOptions) => {
      // Checked here, after probot has read `.env` into the environment; the registration page
      // probot serves before the app has credentials loads no app and handles no webhook.
      requireWebhookSecret(env);
      await app(probot, appOptions);
      appOptions.addHandler(healthHandler);
      appOptions.addHandler(metricsHandler(metrics));
    },
    { env, log, ...(options.Octokit ? { Octokit: options.Octokit } : {}) },
  );
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
