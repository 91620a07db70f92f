import type { IncomingMessage, ServerResponse } from "node:http";
import type { ScanQueue } from "./scan-queue.js";

export const READY_PATH = "/readyz";

/**
 * For load balancers: /health says the process answers; /readyz says it can take work, which it
 * cannot while the scan queue's store is away (Redis, when REDIS_URL is set: its PING; the
 * in-process queue is always ready). 200 when ready, 503 otherwise, so a balancer stops sending
 * webhooks to a replica that would answer them 503. Returns false for every other path so
 * probot's server tries its next handler.
 */
export function readinessHandler(queue: Pick<ScanQueue, "ready">, store: "memory" | "redis"): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = req.url?.split("?")[0];
    if (path !== READY_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const ready = await queue.ready().catch(() => false);
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    const body = ready ? { status: "ready", queue: store } : { status: "unavailable", queue: store, problem: store === "redis" ? "Redis does not answer" : "the scan queue is closed" };
    res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
    return true;
  };
}
