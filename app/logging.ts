import { Transform, type Writable } from "node:stream";
import { getTransformStream } from "@probot/pino";
import { type Logger, pino } from "pino";
import type { Redactor } from "../src/telemetry/redact.js";

/**
 * The app's logger: probot's own (pino, formatted by @probot/pino from LOG_FORMAT, LOG_LEVEL,
 * LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY and SENTRY_DSN), with two additions. Every line passes
 * through the redactor as text, whichever library wrote it, so no secret reaches the output; and
 * every logger bound to one delivery carries its id as `traceId`.
 */
export async function createAppLog(env: NodeJS.ProcessEnv, redactor: Redactor, destination: Writable = pino.destination(1) as unknown as Writable): Promise<Logger> {
  const formatted = await getTransformStream({
    logFormat: logFormatOf(env),
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN || undefined,
  });
  const redacted = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      done(null, redactor.redact(chunk.toString()));
    },
  });
  redacted.pipe(formatted).pipe(destination);
  return pino(
    { level: env.LOG_LEVEL || "info", name: "probot", messageKey: env.LOG_MESSAGE_KEY || "msg", onChild: bindTraceId, hooks: { logMethod: traceReceivedEvent } },
    redacted,
  );
}

/** Probot's rule: LOG_FORMAT wins; otherwise JSON in production and pretty text elsewhere. */
function logFormatOf(env: NodeJS.ProcessEnv): "json" | "pretty" {
  if (env.LOG_FORMAT) return env.LOG_FORMAT === "pretty" ? "pretty" : "json";
  return env.NODE_ENV === "production" ? "json" : "pretty";
}

/**
 * Probot binds `id` (the delivery id) to a delivery's loggers, and its HTTP logger binds the
 * request, whose id is the `X-GitHub-Delivery` header for a webhook. Both become `traceId`, the
 * field the core's and the action's logs use, so one search finds a delivery everywhere.
 */
function bindTraceId(child: Logger): void {
  const bindings = child.bindings() as { traceId?: unknown; id?: unknown; req?: { id?: unknown } };
  if (bindings.traceId !== undefined) return;
  const id = bindings.id ?? bindings.req?.id;
  if (typeof id === "string" || typeof id === "number") child.setBindings({ traceId: String(id) });
}

const RECEIVED = /^\S+ event received \(id: ([^)\s]+)\)$/;

/**
 * @octokit/webhooks announces each delivery on the root logger, before any logger is bound to it,
 * with the id only in the message (`issue_comment event received (id: …)`); lift it into traceId.
 */
function traceReceivedEvent(this: Logger, args: Parameters<Logger["info"]>, method: (...args: unknown[]) => void): void {
  const [first] = args;
  const id = typeof first === "string" ? RECEIVED.exec(first)?.[1] : undefined;
  if (id !== undefined) method.apply(this, [{ traceId: id }, ...args]);
  else method.apply(this, args);
}
