import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { WorkQueue } from "./queue.js";

/** GitHub caps a webhook payload at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** After refusing a body, how long the rest of it is read (and dropped) so the client gets the answer. */
const DISCARD_MS = 10_000;

export interface WebhookEvent {
  id: string;
  name: string;
  payload: unknown;
}

export interface WebhookFrontOptions {
  /** The webhook route, `/api/github/webhooks` unless WEBHOOK_PATH says otherwise. */
  path: string;
  secret: string;
  log: Logger;
  queue: WorkQueue;
  /** Runs the app's handlers for a verified delivery; called from the queue, after the answer. */
  receive: (event: WebhookEvent) => Promise<void>;
  /** Whether a verified delivery is worth queueing; the others are acknowledged and dropped. */
  wanted: (event: string, payload: unknown) => boolean;
  maxBytes?: number;
}

/**
 * The webhook route, in front of probot's: reads the body as it streams in, computing its
 * HMAC on the way and refusing it (413) as soon as it passes the cap; checks the signature before
 * anything parses the JSON; then queues the delivery and answers 202 at once, so GitHub's
 * 10-second limit never depends on how fast GitHub itself answers the app. A refused delivery is
 * one warning line: its id, event and remote address, never its payload.
 */
export function webhookHandler(options: WebhookFrontOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const log = options.log.child({ name: "webhooks" });
  const route = trimSlashes(options.path);
  return (req, res) => {
    if (trimSlashes(pathnameOf(req.url)) !== route) return false;
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const id = header("x-github-delivery");
    const name = header("x-github-event");
    const signature = header("x-hub-signature-256");
    const who = { traceId: id, delivery: id ?? null, event: name ?? null, remoteAddress: req.socket.remoteAddress ?? null };
    const refuse = (status: number, error: string, warning: string | null): void => {
      if (warning !== null) log.warn(who, warning);
      if (res.headersSent) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error }));
      // The rest of the body is read and dropped, so the client sees the answer rather than a reset.
      req.removeAllListeners("data");
      req.resume();
      setTimeout(() => {
        if (!req.complete) req.destroy();
      }, DISCARD_MS).unref();
    };

    if (req.method !== "POST") {
      refuse(405, `Unknown route: ${req.method} ${route}`, null);
      return true;
    }
    if (id === undefined || name === undefined) {
      refuse(400, "Required headers missing: x-github-event, x-github-delivery", "skilldex refused a webhook without its X-GitHub-Event or X-GitHub-Delivery header");
      return true;
    }
    if (signature === undefined) {
      refuse(401, "Missing X-Hub-Signature-256", "skilldex refused a webhook without a signature");
      return true;
    }
    const declared = Number(header("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      refuse(413, `Payload larger than ${maxBytes} bytes`, `skilldex refused a webhook of ${declared} bytes, over GitHub's limit of ${maxBytes}`);
      return true;
    }

    const hmac = createHmac("sha256", options.secret);
    let chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks = [];
        refuse(413, `Payload larger than ${maxBytes} bytes`, `skilldex refused a webhook of more than ${maxBytes} bytes, GitHub's limit`);
        return;
      }
      hmac.update(chunk);
      chunks.push(chunk);
    });
    req.on("error", () => req.destroy());
    req.on("end", () => {
      if (res.headersSent) return;
      if (!sameSignature(signature, `sha256=${hmac.digest("hex")}`)) {
        refuse(401, "Signature does not match", "skilldex refused a webhook whose signature does not match WEBHOOK_SECRET");
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        refuse(400, "Body is not JSON", "skilldex refused a signed webhook whose body is not JSON");
        return;
      }
      chunks = [];
      if (!options.wanted(name, payload)) {
        res.writeHead(202, { "content-type": "application/json" });
        res.end(JSON.stringify({ accepted: id }));
        return;
      }
      const queued = options.queue.push(() => options.receive({ id, name, payload }));
      if (!queued) {
        refuse(503, "Too many deliveries in progress; redeliver later", "skilldex is at its limit of deliveries in progress and refused one; redeliver it from the app's settings");
        return;
      }
      log.debug(who, `${name} event accepted (id: ${id})`);
      res.writeHead(202, { "content-type": "application/json" });
      res.end(JSON.stringify({ accepted: id }));
    });
    return true;
  };
}

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}
