import type { Span } from "@opentelemetry/api";
import type { Context, Logger } from "probot";
import type { Command } from "./commands.js";
import type { AppMetrics } from "./metrics.js";
import { keysOf, type Outcome } from "./outcome.js";

/** What a delivery leaves behind for an operator: its logger, its GitHub request counts, its spans. */

/** The delivery of a new issue or pull-request comment, as probot hands it to the handler. */
export type CommentContext = Context<"issue_comment.created">;

/**
 * The delivery's logger: the delivery id as `traceId` (unless the app's logger bound it already)
 * and the repository, on every line of this delivery.
 */
export function deliveryLog(context: CommentContext): Logger {
  const bound = typeof context.log.bindings === "function" ? context.log.bindings() : {};
  const fields: Record<string, unknown> = { repository: context.payload.repository.full_name };
  if (bound.traceId === undefined) fields.traceId = context.id;
  return context.log.child(fields);
}

const observed = new WeakSet<object>();

/**
 * Counts the delivery's GitHub requests by status, and sends Octokit's own request lines to the
 * delivery's logger. Probot builds an Octokit for each delivery, so the logger is this delivery's.
 */
export function observeGitHubCalls(octokit: CommentContext["octokit"], metrics: AppMetrics, log: Logger): void {
  octokit.log = log.child({ name: "github" });
  if (observed.has(octokit)) return;
  observed.add(octokit);
  octokit.hook.after("request", (response) => metrics.githubRequest(response.status));
  octokit.hook.error("request", (error) => {
    const status = (error as { status?: unknown }).status;
    metrics.githubRequest(typeof status === "number" ? status : null);
    throw error;
  });
}

/** What became of a delivery's commands: the span's totals, the counters, and one structured line per command. */
export function recordOutcomes(log: Logger, span: Span, metrics: AppMetrics, outcomes: readonly Outcome[], end: { answered: boolean; durationMs: number }): void {
  const kinds = new Set(outcomes.map((o) => o.kind));
  span.setAttributes({ "skilldex.keys": outcomes.reduce((n, o) => n + keysOf(o).length, 0), "skilldex.outcome": kinds.size === 1 ? [...kinds][0] : "mixed" });
  for (const outcome of outcomes) {
    metrics.commandHandled(outcome.command.verb, outcome.kind);
    const delivery = "delivery" in outcome ? outcome.delivery : null;
    log.info(
      {
        command: outcome.command.verb,
        target: outcome.command.target,
        outcome: outcome.kind,
        keys: keysOf(outcome),
        commit: delivery?.kind === "commit" ? delivery.commit.sha : undefined,
        pullRequest: delivery?.kind === "pull" ? delivery.pull.number : undefined,
        problem: outcome.kind === "failed" ? outcome.message : outcome.kind === "malformed" ? outcome.problem : undefined,
        answered: end.answered,
        durationMs: end.durationMs,
      },
      "skilldex command handled",
    );
  }
}

/** A bug, not GitHub, took the commands down: each still ends in its one line. */
export function recordCrash(log: Logger, metrics: AppMetrics, commands: readonly Command[], problem: string, durationMs: number): void {
  for (const command of commands) {
    metrics.commandHandled(command.verb, "failed");
    log.error({ command: command.verb, target: command.target, outcome: "failed", problem, answered: false, durationMs }, "skilldex command handled");
  }
}
