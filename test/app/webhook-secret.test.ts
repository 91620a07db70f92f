import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { MissingWebhookSecret, startServer } from "../../app/server.js";
import { PRIVATE_KEY, recordingLogger } from "./helpers.js";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`);
    return true;
  } catch {
    return false;
  }
}

/** What `npm run app` would be given, on a free port, without WEBHOOK_SECRET unless `more` adds it. */
async function environment(more: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  return { APP_ID: "123", PRIVATE_KEY, PORT: String(await freePort()), HOST: "127.0.0.1", ...more };
}

describe("the app refuses forged webhooks from the start", () => {
  test.each([
    ["NODE_ENV=production", { NODE_ENV: "production" }],
    ["no NODE_ENV", {}],
    ["an empty WEBHOOK_SECRET", { NODE_ENV: "production", WEBHOOK_SECRET: "" }],
  ])("refuses to start without WEBHOOK_SECRET, with %s, and opens no port", async (_name, more) => {
    const env = await environment(more);

    const started = startServer(env, { log: recordingLogger().logger });

    await expect(started).rejects.toBeInstanceOf(MissingWebhookSecret);
    await expect(started).rejects.toThrow(/^WEBHOOK_SECRET is not set\. [^\n]*NODE_ENV=development/);
    expect(await listening(Number(env.PORT))).toBe(false);
  });

  test.each(["development", "test"])("starts without WEBHOOK_SECRET when NODE_ENV=%s", async (nodeEnv) => {
    const env = await environment({ NODE_ENV: nodeEnv });

    const server = await startServer(env, { log: recordingLogger().logger });
    try {
      expect((await fetch(`http://127.0.0.1:${env.PORT}/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  test("starts in production when WEBHOOK_SECRET is set", async () => {
    const env = await environment({ NODE_ENV: "production", WEBHOOK_SECRET: "a-long-random-string" });

    const server = await startServer(env, { log: recordingLogger().logger });
    try {
      expect((await fetch(`http://127.0.0.1:${env.PORT}/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
