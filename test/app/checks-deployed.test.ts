import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { type AppProcess, percentile, postDeliveriesFromWorker, requireFreshBuild, servedWebhookMs, startAppProcess, waitUntil } from "./app-process.js";
import { newFake, REPO_FILES } from "./helpers.js";
import { followCheckRunUpdates, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * `npm run app` as deployed on one machine, with no Redis: `node lib/app/main.js` in its own
 * process scans pushes on its in-process queue and posts their check runs to a loopback GitHub.
 */

let fake: FakeGitHub;
let github: { close: () => Promise<void>; host: string };
let app: AppProcess;

beforeAll(async () => {
  requireFreshBuild();
  fake = newFake(FakeGitHub, REPO_FILES);
  github = await serveOverHttp(fake);
  followCheckRunUpdates(fake);
  // One in-process worker: scans share the event loop that answers webhooks, and with two the
  // answers' p95 went past 100 ms on a loaded 2-core machine (47 to 297 ms across runs).
  // Deployments that need both move scans to `npm run worker` processes (docs/app.md).
  app = await startAppProcess(github.host, { SCAN_SOURCE: "api", SCAN_WORKERS: "1" });
});

afterEach(() => {
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

test("the app process alone checks 60 pushes to 20 branches: each commit one check run, each branch's last push completed, webhook answers p95 under 100 ms", async () => {
  const base = fake.branches.get(fake.defaultBranch) as string;
  const pushes = Array.from({ length: 60 }, (_, i) => {
    const branch = `load-${i % 20}`;
    const before = fake.branches.get(branch) ?? base;
    const commit = fake.commit(branch, { [`agents/a${i}.md`]: i % 3 === 0 ? "---\ndescription: No name.\n---\n" : `---\nname: a${i}\ndescription: Agent ${i}.\n---\n` }, `push ${i}`);
    return { branch, sha: commit.sha, body: JSON.stringify(pushPayload(fake, { branch, before, after: commit.sha, installation: 1 + (i % 4) })) };
  });

  // Posted from a thread of its own: the loopback GitHub on the test's thread, busy with the
  // scans, must not slow the clock that times the app.
  const answers = await postDeliveriesFromWorker(pushes.map((push, i) => ({ base: app.base, event: "push", id: `deployed-push-${i}`, body: push.body })), 6);
  expect(answers.every((a) => a.status === 202)).toBe(true);
  const p95 = percentile(answers.map((a) => a.ms), 95);
  const p50 = percentile(answers.map((a) => a.ms), 50);

  await waitUntil(() => pushes.every((push) => runsOn(fake, push.sha).length === 1 && runsOn(fake, push.sha)[0]?.status === "completed"), 60_000, "every push's check run completes");
  for (let b = 0; b < 20; b++) {
    const last = pushes.filter((push) => push.branch === `load-${b}`).at(-1) as (typeof pushes)[number];
    expect(["success", "failure"]).toContain(runsOn(fake, last.sha)[0]?.conclusion);
  }
  const conclusions = pushes.map((push) => runsOn(fake, push.sha)[0]?.conclusion);
  // An earlier push is either superseded or finished before the next one came.
  expect(conclusions.every((c) => c === "success" || c === "failure" || c === "cancelled")).toBe(true);
  const served = servedWebhookMs(app);
  console.log(`60 pushes: webhook p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${percentile(served, 95)} ms as the app logs it); ${conclusions.filter((c) => c === "cancelled").length} superseded`);
  expect(served.length).toBe(60);
  // The app's own clock holds it to 100 ms. The client's clock also holds the time the event loop
  // spent on scans before it read the request (50 ms at p95 on a quiet 2-core machine) and the
  // time a machine under other load took to schedule both processes: a scan that held the loop
  // for long would still show here.
  expect(percentile(served, 95)).toBeLessThan(100);
  expect(p95).toBeLessThan(250);

  const metrics = await (await fetch(`${app.base}/metrics`)).text();
  expect(metrics).toContain('skilldex_scan_queue_depth{state="waiting"} 0');
  // Each scan's log lines carry the delivery that asked for it.
  const finished = app.lines().filter((line) => line.msg === "skilldex scan finished");
  expect(finished.length).toBeGreaterThan(0);
  expect(finished.every((line) => typeof line.traceId === "string" && line.traceId.startsWith("deployed-push-"))).toBe(true);
}, 120_000);
