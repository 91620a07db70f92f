import { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { type AppProcess, percentile, requireFreshBuild, SECRET, sign, startAppProcess, waitUntil } from "./app-process.js";
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

/**
 * Posts signed deliveries of any event from a thread of its own, `concurrency` at a time, timing
 * each answer: the loopback GitHub on the test's thread, busy with the scans, must not slow the
 * clock that times the app.
 */
async function postFromThread(url: string, deliveries: { event: string; id: string; body: string }[], concurrency: number): Promise<{ status: number; ms: number }[]> {
  const signed = deliveries.map((d) => ({ ...d, signature: sign(d.body, SECRET) }));
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const { url, signed, concurrency } = workerData;
     const out = [];
     let next = 0;
     const post = async (d) => {
       const started = performance.now();
       const answer = await fetch(url, { method: "POST", body: d.body, headers: { "content-type": "application/json", "x-github-event": d.event, "x-github-delivery": d.id, "x-hub-signature-256": d.signature } });
       await answer.arrayBuffer();
       return { status: answer.status, ms: performance.now() - started };
     };
     Promise.all(Array.from({ length: concurrency }, async () => { for (let i = next++; i < signed.length; i = next++) out[i] = await post(signed[i]); }))
       .then(() => parentPort.postMessage(out), (e) => parentPort.postMessage(String(e)));`,
    { eval: true, workerData: { url, signed, concurrency } },
  );
  try {
    const answer = await new Promise<unknown>((resolve, reject) => (worker.once("message", resolve), worker.once("error", reject)));
    if (!Array.isArray(answer)) throw new Error(`the posting thread failed: ${String(answer)}`);
    return answer as { status: number; ms: number }[];
  } finally {
    await worker.terminate();
  }
}

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

  const answers = await postFromThread(`${app.base}/api/github/webhooks`, pushes.map((push, i) => ({ event: "push", id: `deployed-push-${i}`, body: push.body })), 6);
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
  console.log(`60 pushes: webhook p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ${conclusions.filter((c) => c === "cancelled").length} superseded`);
  expect(p95).toBeLessThan(100);

  const metrics = await (await fetch(`${app.base}/metrics`)).text();
  expect(metrics).toContain('skilldex_scan_queue_depth{state="waiting"} 0');
  // Each scan's log lines carry the delivery that asked for it.
  const finished = app.lines().filter((line) => line.msg === "skilldex scan finished");
  expect(finished.length).toBeGreaterThan(0);
  expect(finished.every((line) => typeof line.traceId === "string" && line.traceId.startsWith("deployed-push-"))).toBe(true);
}, 120_000);
