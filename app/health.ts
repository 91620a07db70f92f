import type { IncomingMessage, ServerResponse } from "node:http";
import { VERSION } from "../src/version.js";

export const HEALTH_PATH = "/health";

/**
 * For load balancers: the app keeps no state, so a process that answers HTTP is healthy. Returns
 * false for every other path so probot's server tries its next handler.
 */
export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (path !== HEALTH_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok", app: "skilldex", version: VERSION }));
  return true;
}
