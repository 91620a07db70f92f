import { createHmac } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type AppServer, startServer } from "../../app/server.js";
import { FakeGitHub, INSTALLATION_TOKEN, serveOverHttp } from "../helpers/fake-github.js";
import { commentPayload, newFake, PRIVATE_KEY, TestOctokit } from "./helpers.js";

const SECRET = "webhook-secret-for-tests";
const FILE = ".github/skilldex.yml";

let fake: FakeGitHub;
let github: HttpServer;
let app: AppServer;
let base: string;
/** Everything the app's own logger wrote, as it would reach standard output. */
let output = "";
const destination = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    output += chunk.toString();
    done();
  },
});

interface LogLine {
  level: number;
  msg?: string;
  traceId?: string;
  [field: string]: unknown;
}

/** The JSON lines written so far, after the logger's streams have drained. */
async function logLines(): Promise<LogLine[]> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LogLine);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  fake = newFake(FakeGitHub);
  fake.openPull(42, { head: "feature" });
  const served = await serveOverHttp(fake);
  github = served.server;
  const port = await freePort();
  app = await startServer(
    {
      APP_ID: "123",
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: served.host,
      GHE_PROTOCOL: "http",
      // Trace: Octokit's request lines (with request bodies) are written too, so they are checked for secrets.
      LOG_LEVEL: "trace",
      LOG_FORMAT: "json",
    },
    { logDestination: destination, Octokit: TestOctokit },
  );
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => github?.close(resolve));
});

async function postWebhook(body: string, signature: string, delivery: string): Promise<Response> {
  return await fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": delivery, "x-hub-signature-256": signature },
    body,
  });
}

/** Waits until the app has finished the delivery: it answers first and works after. */
async function handled(delivery: string): Promise<LogLine[]> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const lines = await logLines();
    if (lines.some((l) => l.traceId === delivery && l.msg === "skilldex command handled")) return lines;
  }
  throw new Error(`delivery ${delivery} was not handled within 10 s`);
}

const sign = (body: string, secret = SECRET): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("the server started as `npm run app` starts it", () => {
  test("answers the health check", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", app: "skilldex" });
  });

  test("refuses a webhook with a bad signature and writes nothing", async () => {
    const body = JSON.stringify(commentPayload({ body: "/skip skill:pdf" }));
    const response = await postWebhook(body, sign(body, "not-the-secret"), "delivery-forged");

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(fake.requests).toEqual([]);
    expect(fake.file("feature", FILE)).toBeNull();
  });

  test("handles a signed webhook over HTTP, calling GitHub through GHE_HOST", async () => {
    const payload = commentPayload({ body: "/skip skill:legacy-pdf Using alternative implementation" });
    const body = JSON.stringify(payload);
    const response = await postWebhook(body, sign(body), "delivery-signed");

    expect(response.status).toBe(202);
    const lines = await handled("delivery-signed");
    expect(fake.requests[0]).toEqual({ method: "POST", path: "/app/installations/1/access_tokens" });
    expect(fake.file("feature", FILE)).toContain("- key: skill:legacy-pdf\n    reason: Using alternative implementation\n    by: octocat");
    expect(fake.replies(42)[0]).toContain("skipped `skill:legacy-pdf`: committed");
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
    expect(lines.find((l) => l.msg === "skilldex command handled")).toMatchObject({ traceId: "delivery-signed", outcome: "done", repository: fake.fullName });
  });

  test("takes a `/skilldex` command over HTTP, not only the skip commands", async () => {
    const before = fake.replies(42).length;
    const body = JSON.stringify(commentPayload({ body: "/skilldex fix" }));
    const response = await postWebhook(body, sign(body), "delivery-skilldex-fix");

    expect(response.status).toBe(202);
    const lines = await handled("delivery-skilldex-fix");
    expect(lines.find((l) => l.traceId === "delivery-skilldex-fix" && l.msg === "skilldex command handled")).toMatchObject({ command: "fix" });
    // The answer is posted after the command's line is logged.
    for (let waited = 0; fake.replies(42).length === before && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.replies(42).length).toBe(before + 1);
  });

  test("writes every line of a delivery as JSON carrying the delivery id as traceId, the HTTP request line included", async () => {
    const before = (await logLines()).length;
    const body = JSON.stringify(commentPayload({ body: "/skip skill:docx" }));
    await postWebhook(body, sign(body), "delivery-every-line");

    const lines = (await handled("delivery-every-line")).slice(before);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.traceId, line.msg).toBe("delivery-every-line");
    expect(lines.some((l) => l.name === "http" && /POST \/api\/github\/webhooks 202/.test(l.msg ?? ""))).toBe(true);
    expect(lines.some((l) => l.name === "github" && /GitHub request: PUT/.test(l.msg ?? ""))).toBe(true);
  });

  test("serves the counters at /metrics in the Prometheus text format, without calling GitHub", async () => {
    const calls = fake.requests.length;
    const response = await fetch(`${base}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^skilldex_commands_total\{command="skip",outcome="done"\} [1-9]\d*$/m);
    expect(text).toMatch(/^skilldex_commits_total [1-9]\d*$/m);
    expect(text).toMatch(/^skilldex_github_requests_total\{status="201"\} [1-9]\d*$/m);
    expect(text).toMatch(/^skilldex_webhook_duration_seconds_count\{event="issue_comment.created",result="commands"\} [1-9]\d*$/m);
    expect(fake.requests.length).toBe(calls);
  });

  test("never writes the private key, the webhook secret or an installation token, even when GitHub echoes them in an error", async () => {
    const echoed = `Invalid request: echoing ${INSTALLATION_TOKEN} and ${SECRET} and ${PRIVATE_KEY}`;
    fake.beforeWrite = () => ({ status: 422, body: { message: echoed } });
    const before = output.length;
    const payload = commentPayload({ body: "/skip skill:pdf" });
    const body = JSON.stringify(payload);
    try {
      await postWebhook(body, sign(body), "delivery-echo");
      await handled("delivery-echo");
    } finally {
      fake.beforeWrite = null;
    }

    const written = output.slice(before);
    const [answer] = fake.replies(42).slice(-1);
    expect(answer).toContain("could not commit .github/skilldex.yml to feature: Invalid request: echoing [REDACTED]");
    expect((await logLines()).find((l) => l.traceId === "delivery-echo" && l.msg === "skilldex command handled")).toMatchObject({ outcome: "failed" });
    const keyBody = PRIVATE_KEY.split("\n")[1] as string;
    for (const text of [written, answer ?? ""]) {
      expect(text).not.toContain(INSTALLATION_TOKEN);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(keyBody);
    }
    expect(written).toContain("[REDACTED]");
  });
});
