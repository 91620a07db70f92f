import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { type RedisServer, redisServerAvailable, startRedisServer } from "../helpers/redis.js";
import { type AppProcess, postWebhook, requireFreshBuild, startAppProcess, waitUntil } from "./app-process.js";
import { newFake, PRIVATE_KEY, REPO_FILES } from "./helpers.js";
import { followCheckRunUpdates, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * `npm run app` with REDIS_URL set, as deployed on many machines: the app process puts its scans
 * on the Redis-backed queue (and, with no separate worker here, takes them from it too), and its
 * readiness endpoint says Redis answers (test/app/scan-queue-redis.test.ts stops Redis under it).
 */
describe.skipIf(!redisServerAvailable())("the app process on a Redis-backed queue", () => {
  let redis: RedisServer;
  let fake: FakeGitHub;
  let github: { close: () => Promise<void>; host: string };
  let app: AppProcess;

  beforeAll(async () => {
    requireFreshBuild();
    redis = await startRedisServer();
    fake = newFake(FakeGitHub, REPO_FILES);
    github = await serveOverHttp(fake);
    followCheckRunUpdates(fake);
    app = await startAppProcess(github.host, { SCAN_SOURCE: "api", SCAN_WORKERS: "2", REDIS_URL: redis.url });
  });

  afterEach(() => {
    expect(fake.invalid).toEqual([]);
  });

  afterAll(async () => {
    await app?.stop();
    await github?.close();
    await redis?.stop();
  });

  test("is ready while Redis answers and completes a push's check run through the shared queue", async () => {
    expect((await fetch(`${app.base}/readyz`)).status).toBe(200);

    const base = fake.branches.get(fake.defaultBranch) as string;
    const commit = fake.commit("feature", { "agents/nameless.md": "---\ndescription: No name.\n---\n" }, "add an agent without a name");
    const answer = await postWebhook(app.base, JSON.stringify(pushPayload(fake, { branch: "feature", before: base, after: commit.sha })), { delivery: "redis-push-1", event: "push" });
    expect(answer.status).toBe(202);
    await waitUntil(() => runsOn(fake, commit.sha)[0]?.status === "completed", 30_000, "the push's check run completes");
    expect(runsOn(fake, commit.sha)).toHaveLength(1);
    expect(runsOn(fake, commit.sha)[0]?.conclusion).toBe("failure");
    expect(app.lines().filter((line) => line.msg === "skilldex scan queue")).toEqual([]);

  }, 60_000);

  test("`npm run worker` starts as the App from the App's variables, takes scans from Redis, and stops cleanly on SIGTERM; without APP_ID it says so and exits 2", async () => {
    const worker = (env: Record<string, string>) => {
      const child = spawn(process.execPath, ["lib/app/worker.js"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", REDIS_URL: redis.url, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      return { child, exited, output: () => output };
    };
    const unnamed = worker({});
    expect(await unnamed.exited).toBe(2);
    expect(unnamed.output()).toContain("APP_ID is not set");

    const named = worker({ APP_ID: "123", PRIVATE_KEY, GHE_HOST: github.host, GHE_PROTOCOL: "http", LOG_FORMAT: "json" });
    await waitUntil(() => named.output().includes("taking scans from Redis"), 15_000, "the worker's start line");
    named.child.kill("SIGTERM");
    expect(await named.exited).toBe(0);
  }, 60_000);
});
