import type { ApplicationFunction, Probot } from "probot";
import { handleActionCheckRun, isActionCheckRunCreated } from "./action-checks.js";
import { Redactor } from "../src/telemetry/redact.js";
import { handleButton } from "./buttons.js";
import { mayHoldCommand } from "./commands.js";
import { type AppSettings, handleComment } from "./handler.js";
import { AppMetrics, type WebhookResult } from "./metrics.js";
import { scanSettingsFromEnv, skipPreferencesFromEnv } from "./scan.js";
import { handleScanEvent, RecentScans, SCAN_EVENTS, scanRequestOf } from "./scan-events.js";
import { MemoryScanQueue } from "./scan-queue-memory.js";
import { SkipFileWrites } from "./write.js";

export type { AppSettings } from "./handler.js";

/** Reads the app's own setting from the environment; probot reads the rest. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AppSettings {
  return {
    enabled: skipPreferencesFromEnv(env),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxAttempts: 30,
    random: Math.random,
    metrics: new AppMetrics(),
    redactor: new Redactor(env),
    writes: new SkipFileWrites(),
    appId: Number(env.APP_ID),
    scans: new MemoryScanQueue(),
    recent: new RecentScans(),
    scan: scanSettingsFromEnv(env),
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
  return action === "created" && typeof comment?.body === "string" && mayHoldCommand(comment.body);
}

/** Whether a verified delivery is worth queueing: a comment with a command, a scan asked for, a button pressed, the Action's check run. */
export function isWanted(event: string, payload: unknown): boolean {
  if (mayHoldCommands(event, payload) || isActionCheckRunCreated(event, payload)) return true;
  if (event === "check_run") return (payload as { action?: unknown })?.action === "requested_action" || scanRequestOf(event, payload) !== null;
  return scanRequestOf(event, payload) !== null;
}

/**
 * The skilldex app: `/skip`, `/unskip` and `/skips` in new issue and pull-request comments; a
 * check run on every push and pull request, with its buttons.
 */
export function createApp(overrides: Partial<AppSettings> = {}, env: NodeJS.ProcessEnv = process.env): ApplicationFunction {
  const settings: AppSettings = { ...settingsFromEnv(env), ...overrides };
  /** Runs a handler, timing it for the latency histogram under its event and result. */
  const timed = async (event: string, handle: () => Promise<WebhookResult>): Promise<void> => {
    const started = performance.now();
    let result: WebhookResult = "error";
    try {
      result = await handle();
    } finally {
      settings.metrics.webhookHandled(event, result, (performance.now() - started) / 1000);
    }
  };
  return (app: Probot) => {
    // Edited comments are not listened to: an edit must not run a command a second time.
    app.on("issue_comment.created", (context) => timed("issue_comment.created", () => handleComment(context, settings)));
    app.on([...SCAN_EVENTS], (context) => {
      const action = (context.payload as { action?: string }).action;
      return timed(action ? `${context.name}.${action}` : context.name, () => handleScanEvent(context, settings));
    });
    app.on("check_run.requested_action", (context) => timed("check_run.requested_action", () => handleButton(context, settings)));
    // GitHub sends every check run's creation to an app with the checks permission; the Action's makes the App's stand aside.
    app.on("check_run.created", (context) => (isActionCheckRunCreated(context.name, context.payload) ? timed("check_run.created", async () => ((await handleActionCheckRun(context, settings)) === "stood_aside" ? "scan" : "ignored")) : undefined));
  };
}
