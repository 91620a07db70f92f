import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { readinessHandler } from "../../app/readiness.js";
import { RedisScanQueue, type RedisScanQueueOptions } from "../../app/scan-queue-redis.js";
import type { ScanJob, ScanWorker, Superseded } from "../../app/scan-queue.js";
import { type RedisServer, redisServerAvailable, startRedisServer } from "../helpers/redis.js";
import { describeScanQueueContract, scanJob } from "./scan-queue-contract.js";
import { requireFreshBuild } from "./app-process.js";

/**
 * The Redis-backed scan queue against a real redis-server (test/helpers/redis.ts): several queue
 * instances in this process stand for App replicas and workers sharing one Redis, and worker
 * processes (`startWorker` of lib/app/worker.js) are killed and superseded for real.
 */

const ROOT = new URL("../../", import.meta.url).pathname;
/** Counts every run and supersession; a run takes `ms`, or until released when `held` says so. */
class RecordingWorker implements ScanWorker {
  readonly starts: { id: string; at: number }[] = [];
  readonly finished: string[] = [];
  readonly aborted: string[] = [];
  readonly supersededEvents: [string, string][] = [];
  private readonly gates = new Map<string, () => void>();

  constructor(
    private readonly ms = 0,
    private readonly held: (job: ScanJob) => boolean = () => false,
  ) {}

  async run(job: ScanJob, signal: AbortSignal): Promise<void> {
    this.starts.push({ id: job.id, at: performance.now() });
    await new Promise<void>((resolve) => {
      signal.addEventListener("abort", () => resolve(), { once: true });
      if (this.held(job)) this.gates.set(job.id, resolve);
      else setTimeout(resolve, this.ms);
    });
    (signal.aborted ? this.aborted : this.finished).push(job.id);
  }

  async superseded(event: Superseded): Promise<void> {
    this.supersededEvents.push([event.job.id, event.by.id]);
  }

  releaseAll(): void {
    for (const open of this.gates.values()) open();
  }
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function countBy(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

describe.skipIf(!redisServerAvailable())("the Redis scan queue, on a real redis-server", () => {
  let server: RedisServer;
  const opened: RedisScanQueue[] = [];
  const workers: RecordingWorker[] = [];
  let queueNumber = 0;
  const problems: unknown[] = [];

  /** A queue instance as one App replica or worker process would hold it; same `name`, same jobs. */
  const open = (name: string, more: Partial<RedisScanQueueOptions> = {}): RedisScanQueue => {
    const queue = new RedisScanQueue({ url: server.url, name, lockMs: 1000, supersedePollMs: 100, onError: (error) => problems.push(error), ...more });
    opened.push(queue);
    return queue;
  };
  const withWorker = (queue: RedisScanQueue, worker: RecordingWorker, concurrency: number): RecordingWorker => {
    queue.start(worker, concurrency);
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) worker.releaseAll();
    await Promise.all(opened.splice(0).map((queue) => queue.close(5000)));
    problems.length = 0;
  });
  afterAll(async () => {
    await server?.stop();
  });

  // The contract the in-process queue keeps, on Redis: each test gets queues of its own name.
  describeScanQueueContract("Redis", async () => new RedisScanQueue({ url: server.url, name: `contract-${queueNumber++}`, lockMs: 1000, supersedePollMs: 100 }));

  test("a job added through two replicas runs exactly once across two workers", async () => {
    const name = `once-${queueNumber++}`;
    const [a, b] = [open(name), open(name)];
    const [wa, wb] = [withWorker(a, new RecordingWorker(5), 2), withWorker(b, new RecordingWorker(5), 2)];
    const jobs = Array.from({ length: 20 }, () => scanJob());
    // Every webhook delivered twice, once to each replica: a redelivery must not scan again.
    for (const job of jobs) expect(await Promise.all([a.add(job), b.add({ ...job })])).toEqual([true, true]);
    await eventually(() => wa.finished.length + wb.finished.length === 20, "all twenty finish");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = countBy([...wa.starts, ...wb.starts].map((s) => s.id));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(await a.depth()).toEqual({ waiting: 0, running: 0 });
  });

  test("200 pushes over 20 repositories, through two App replicas to two workers, each complete exactly once", async () => {
    const name = `many-${queueNumber++}`;
    const producers = [open(name), open(name)];
    const workerQueues = [open(name), open(name)];
    const [w1, w2] = workerQueues.map((queue) => withWorker(queue, new RecordingWorker(5), 4)) as [RecordingWorker, RecordingWorker];
    const jobs = Array.from({ length: 200 }, (_, i) => scanJob({ installationId: 1 + (i % 4), repo: `repo-${i % 20}`, branch: `push-${i}` }));
    const addMs: number[] = [];
    const started = performance.now();
    await Promise.all(
      jobs.map(async (job, i) => {
        const at = performance.now();
        expect(await (producers[i % 2] as RedisScanQueue).add(job)).toBe(true);
        addMs.push(performance.now() - at);
      }),
    );
    await eventually(() => w1.finished.length + w2.finished.length === 200, "all 200 finish", 30_000);
    const elapsed = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = countBy([...w1.starts, ...w2.starts].map((s) => s.id));
    expect(counts.size).toBe(200);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(w1.finished.length).toBeGreaterThan(0);
    expect(w2.finished.length).toBeGreaterThan(0);
    expect(w1.supersededEvents.length + w2.supersededEvents.length).toBe(0);
    expect(await producers[0]?.depth()).toEqual({ waiting: 0, running: 0 });
    console.log(
      `200 jobs, 2 producers, 2 workers x 4: all done once in ${Math.round(elapsed)} ms (worker 1 ran ${w1.finished.length}, worker 2 ${w2.finished.length}); add p50 ${percentile(addMs, 50).toFixed(1)} ms, p95 ${percentile(addMs, 95).toFixed(1)} ms`,
    );
  });

  test("a newer push supersedes a waiting job of its branch held in another replica's worker, once, without waiting for a free worker", async () => {
    const name = `lanes-${queueNumber++}`;
    const producer = open(name);
    const worker = withWorker(open(name), new RecordingWorker(0, (job) => job.id.endsWith("-hold")), 1);
    const blocker = scanJob({ id: `${scanJob().id}-hold`, branch: "other" });
    await producer.add(blocker);
    await eventually(() => worker.starts.length === 1, "the blocker starts");
    const older = scanJob({ branch: "feature" });
    const newer = scanJob({ branch: "feature" });
    await producer.add(older);
    await producer.add(newer);
    await eventually(() => worker.supersededEvents.length === 1, "the older job is reported superseded while the only worker is busy");
    worker.releaseAll();
    await eventually(() => worker.finished.length === 2, "the blocker and the newer job finish");
    expect(worker.starts.map((s) => s.id)).toEqual([blocker.id, newer.id]);
    expect(worker.supersededEvents).toEqual([[older.id, newer.id]]);
  });

  test("is fair across installations: a burst of 100 jobs from one does not hold back another's single job", async () => {
    const name = `fair-${queueNumber++}`;
    const producer = open(name);
    const [w1, w2] = [withWorker(open(name), new RecordingWorker(20), 2), withWorker(open(name), new RecordingWorker(20), 2)];
    const burst = Array.from({ length: 100 }, () => scanJob({ installationId: 100 }));
    for (const job of burst) await producer.add(job);
    const quiet = scanJob({ installationId: 200 });
    const addedAt = performance.now();
    await producer.add(quiet);
    await eventually(() => [...w1.starts, ...w2.starts].some((s) => s.id === quiet.id), "the quiet installation's job starts");
    const starts = [...w1.starts, ...w2.starts].sort((x, y) => x.at - y.at);
    const quietStart = starts.find((s) => s.id === quiet.id)?.at as number;
    const wait = quietStart - addedAt;
    const burstAhead = starts.filter((s) => s.id !== quiet.id && s.at > addedAt && s.at < quietStart).length;
    const burstLeft = 100 - starts.filter((s) => s.id !== quiet.id && s.at <= quietStart).length;
    console.log(`fairness: the single job waited ${wait.toFixed(0)} ms behind a burst of 100 (20 ms each, 4 workers); ${burstAhead} burst jobs started after it was added and before it, ${burstLeft} still waited`);
    // Only the workers busy or already taking a job when it arrived go first: at most one job a worker.
    expect(burstAhead).toBeLessThanOrEqual(4);
    expect(wait).toBeLessThan(250);
    expect(burstLeft).toBeGreaterThan(50);
    await eventually(() => w1.finished.length + w2.finished.length === 101, "everything finishes", 20_000);
  });

  test("says it is not ready, and refuses jobs, while Redis is away; /readyz answers 503 then", async () => {
    const own = await startRedisServer();
    const queue = new RedisScanQueue({ url: own.url, name: "ready", addTimeoutMs: 500, onError: () => {} });
    opened.push(queue);
    const http: Server = createServer((req, res) => {
      void readinessHandler(queue, "redis")(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    try {
      expect(await queue.ready()).toBe(true);
      const up = await fetch(`${base}/readyz`);
      expect([up.status, await up.json()]).toEqual([200, { status: "ready", queue: "redis" }]);
      await own.stop();
      expect(await queue.ready()).toBe(false);
      const addedAt = performance.now();
      expect(await queue.add(scanJob())).toBe(false);
      expect(performance.now() - addedAt).toBeLessThan(1500);
      const down = await fetch(`${base}/readyz`);
      expect([down.status, await down.json()]).toEqual([503, { status: "unavailable", queue: "redis", problem: "Redis does not answer" }]);
      expect((await fetch(`${base}/health`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => http.close(resolve));
      await own.stop();
    }
  });

  describe("with worker processes", () => {
    let dir: string;
    let script: string;
    const children: ChildProcess[] = [];

    interface Said {
      event: "started" | "finished" | "aborted" | "superseded";
      id: string;
      by?: string;
      at: number;
    }

    /**
     * `node` running lib/app/worker.js's process entry with a ScanWorker that prints what it does; ids
     * ending in -hold run until aborted, in -slow for half a second; reporting one ending in -stuck
     * as superseded never returns.
     */
    const startWorkerProcess = async (env: Record<string, string>): Promise<{ child: ChildProcess; said: Said[] }> => {
      const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? "", REDIS_URL: server.url, SCAN_LOCK_MS: "1000", SCAN_WORKERS: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      const said: Said[] = [];
      let buffered = "";
      let errors = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) said.push({ ...(JSON.parse(line) as Omit<Said, "at">), at: performance.now() });
      });
      child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      await eventually(() => errors.includes("taking scans from Redis"), `the worker process says it started (it wrote: ${errors})`);
      return { child, said };
    };

    beforeAll(() => {
      requireFreshBuild();
      dir = mkdtempSync(join(tmpdir(), "skilldex-worker-"));
      script = join(dir, "worker.mjs");
      writeFileSync(
        script,
        `import { runWorkerProcess } from ${JSON.stringify(join(ROOT, "lib/app/worker.js"))};
const say = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + "\\n");
await runWorkerProcess(process.env, async () => ({
  async run(job, signal) {
    say("started", { id: job.id });
    if (job.id.endsWith("-hold")) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    if (job.id.endsWith("-slow")) await new Promise((resolve) => setTimeout(resolve, 500));
    say(signal.aborted ? "aborted" : "finished", { id: job.id });
  },
  async superseded(event) {
    say("superseded", { id: event.job.id, by: event.by.id });
    if (event.job.id.endsWith("-stuck")) await new Promise(() => {});
  },
}));
`,
      );
    });
    afterEach(async () => {
      for (const child of children.splice(0)) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGKILL");
          await new Promise((resolve) => child.once("exit", resolve));
        }
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const flush = async (): Promise<void> => {
      const admin = new Redis(server.url);
      await admin.flushall();
      admin.disconnect();
    };

    test("a worker process killed mid-scan loses no job: another worker runs it once its lock expires", async () => {
      await flush();
      const producer = open("skilldex-scans");
      const doomed = await startWorkerProcess({});
      const held = scanJob({ id: `${scanJob().id}-hold` });
      await producer.add(held);
      await eventually(() => doomed.said.some((s) => s.event === "started" && s.id === held.id), "the worker process starts the job");
      const rest = Array.from({ length: 9 }, () => scanJob());
      for (const job of rest) await producer.add(job);
      const survivor = withWorker(open("skilldex-scans"), new RecordingWorker(5), 2);
      await eventually(() => survivor.finished.length === 9, "the other jobs run on the surviving worker");
      const killedAt = performance.now();
      doomed.child.kill("SIGKILL");
      // The survivor runs the held job too (it is not held there: RecordingWorker holds nothing here).
      await eventually(() => survivor.finished.includes(held.id), "the killed worker's job runs on the survivor");
      const recoveryMs = survivor.starts.find((s) => s.id === held.id)!.at - killedAt;
      console.log(`a SIGKILLed worker's job ran again on another worker ${recoveryMs.toFixed(0)} ms after the kill (lock 1000 ms, stalled check every 500 ms)`);
      expect(recoveryMs).toBeLessThan(5000);
      const counts = countBy(survivor.starts.map((s) => s.id));
      expect(counts.size).toBe(10);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(doomed.said.filter((s) => s.event === "finished")).toEqual([]);
      expect(await producer.depth()).toEqual({ waiting: 0, running: 0 });
    });

    test("a worker process killed while it completes a superseded job's check run leaves it to another worker, which completes it", async () => {
      await flush();
      const producer = open("skilldex-scans");
      const doomed = await startWorkerProcess({});
      const blocker = scanJob({ id: `${scanJob().id}-hold`, branch: "other" });
      await producer.add(blocker);
      await eventually(() => doomed.said.some((s) => s.event === "started" && s.id === blocker.id), "the worker process is busy");
      const older = scanJob({ id: `${scanJob().id}-stuck`, branch: "feature" });
      const newer = scanJob({ branch: "feature" });
      await producer.add(older);
      await producer.add(newer);
      await eventually(() => doomed.said.some((s) => s.event === "superseded" && s.id === older.id), "the worker process starts reporting the older job superseded");
      doomed.child.kill("SIGKILL");
      const survivor = withWorker(open("skilldex-scans"), new RecordingWorker(5), 2);
      await eventually(() => survivor.supersededEvents.some(([id]) => id === older.id), "another worker reports the older job superseded", 10_000);
      expect(survivor.supersededEvents).toEqual([[older.id, newer.id]]);
      await eventually(() => survivor.finished.includes(newer.id) && survivor.finished.includes(blocker.id), "the newer job and the killed worker's scan run");
    });

    test("a worker process stopped with SIGTERM finishes the scan it runs, then exits 0", async () => {
      await flush();
      const producer = open("skilldex-scans");
      const worker = await startWorkerProcess({});
      const slow = scanJob({ id: `${scanJob().id}-slow` });
      await producer.add(slow);
      await eventually(() => worker.said.some((s) => s.event === "started"), "the worker process starts the scan");
      const exited = new Promise<number | null>((resolve) => worker.child.once("close", (code) => resolve(code)));
      worker.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(worker.said.map((s) => [s.event, s.id])).toEqual([
        ["started", slow.id],
        ["finished", slow.id],
      ]);
      expect(await producer.depth()).toEqual({ waiting: 0, running: 0 });
    });

    test("supersession holds across processes: a push added here aborts the scan of its branch running in a worker process, and a waiting one is reported at once", async () => {
      await flush();
      const producer = open("skilldex-scans");
      const worker = await startWorkerProcess({});
      const running = scanJob({ id: `${scanJob().id}-hold`, branch: "main" });
      await producer.add(running);
      await eventually(() => worker.said.some((s) => s.event === "started" && s.id === running.id), "the worker process starts the main branch's scan");
      const waitingOlder = scanJob({ branch: "feature" });
      const waitingNewer = scanJob({ branch: "feature" });
      await producer.add(waitingOlder);
      await producer.add(waitingNewer);
      await eventually(() => worker.said.some((s) => s.event === "superseded" && s.id === waitingOlder.id), "the waiting older job is reported superseded while the worker is busy");
      const newer = scanJob({ branch: "main" });
      const addedAt = performance.now();
      await producer.add(newer);
      await eventually(() => worker.said.some((s) => s.event === "aborted" && s.id === running.id), "the running scan's signal aborts");
      const abortMs = worker.said.find((s) => s.event === "aborted")!.at - addedAt;
      await eventually(() => worker.said.filter((s) => s.event === "finished").length === 2, "the two newest jobs finish");
      console.log(`a scan running in another process was aborted ${abortMs.toFixed(0)} ms after the newer push was added (lane polled every 1000 ms)`);
      expect(abortMs).toBeLessThan(2500);
      const events = worker.said.map((s) => [s.event, s.id, ...(s.by ? [s.by] : [])]);
      expect(events.filter(([event]) => event === "superseded")).toEqual([
        ["superseded", waitingOlder.id, waitingNewer.id],
        ["superseded", running.id, newer.id],
      ]);
      expect(events.filter(([event]) => event === "started").map(([, id]) => id).sort()).toEqual([running.id, waitingNewer.id, newer.id].sort());
      expect(events.filter(([event]) => event === "finished").map(([, id]) => id).sort()).toEqual([waitingNewer.id, newer.id].sort());
      expect(await producer.depth()).toEqual({ waiting: 0, running: 0 });
    });
  });
});
