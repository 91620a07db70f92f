import type { Logger } from "probot";
import type { CommentContext } from "./handler.js";
import type { AppMetrics } from "./metrics.js";

/** What a delivery leaves behind for an operator: its logger, its GitHub request counts, its spans. */

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
