import type { ApplicationFunction, Probot } from "probot";
import { Redactor } from "../src/telemetry/redact.js";
import { type AppSettings, handleComment } from "./handler.js";
import { AppMetrics, type WebhookResult } from "./metrics.js";
import { SkipFileWrites } from "./write.js";

export type { AppSettings } from "./handler.js";

/** Reads the app's own setting from the environment; probot reads the rest. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AppSettings {
  return {
    enabled: !/^(false|0|no|off)$/i.test((env.ENABLE_SKIP_PREFERENCES ?? "true").trim()),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxAttempts: 30,
    random: Math.random,
    metrics: new AppMetrics(),
    redactor: new Redactor(env),
    writes: new SkipFileWrites(),
    appId: Number(env.APP_ID),
  };
}

/**
 * Whether a delivery can hold a command: a new comment that mentions one of them. Every other
 * delivery is acknowledged and dropped at the door, before probot builds a GitHub client for it,
 * so a busy repository's comments cost the app next to nothing.
 */
export function mayHoldCommands(event: string, payload: unknown): boolean {
  if (event !== "issue_comment") return false;
  const { action, comment } = (payload ?? {}) as { action?: unknown; comment?: { body?: unknown } };
  return action === "created" && typeof comment?.body === "string" && /\/(skip|unskip|skips)/i.test(comment.body);
}

/** The skilldex app: `/skip`, `/unskip` and `/skips` in new issue and pull-request comments. */
export function createApp(overrides: Partial<AppSettings> = {}, env: NodeJS.ProcessEnv = process.env): ApplicationFunction {
  const settings: AppSettings = { ...settingsFromEnv(env), ...overrides };
  return (app: Probot) => {
    // Edited comments are not listened to: an edit must not run a command a second time.
    app.on("issue_comment.created", async (context) => {
      const started = performance.now();
      let result: WebhookResult = "error";
      try {
        result = await handleComment(context, settings);
      } finally {
        settings.metrics.webhookHandled("issue_comment.created", result, (performance.now() - started) / 1000);
      }
    });
  };
}
