import { createHmac } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { createServer } from "node:net";
import type { Server } from "probot";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../app/server.js";
import { FakeGitHub, INSTALLATION_TOKEN, serveOverHttp } from "./fake-github.js";
import { commentPayload, logText, newFake, PRIVATE_KEY, recordingLogger, TestOctokit } from "./helpers.js";

const SECRET = "webhook-secret-for-tests";
const FILE = ".github/skilldex.yml";

let fake: FakeGitHub;
let github: HttpServer;
let app: Server;
let base: string;
const { logger, records } = recordingLogger();

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
      LOG_LEVEL: "info",
    },
    { log: logger, Octokit: TestOctokit },
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

    expect(response.status).toBe(200);
    expect(fake.requests[0]).toEqual({ method: "POST", path: "/app/installations/1/access_tokens" });
    expect(fake.file("feature", FILE)).toContain("- key: skill:legacy-pdf\n    reason: Using alternative implementation\n    by: octocat");
    expect(fake.replies(42)[0]).toContain("skipped `skill:legacy-pdf`: committed");
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
    expect(records.find((r) => r.msg === "skilldex command handled")).toMatchObject({ traceId: "delivery-signed", outcome: "done" });
    expect(logText(records)).not.toContain(INSTALLATION_TOKEN);
  });
});
