import { afterEach, describe, expect, test } from "vitest";
import type { ScanJob, ScanQueue, ScanWorker, Superseded } from "../../app/scan-queue.js";

/**
 * The contract of app/scan-queue.ts as tests, for every implementation: the in-process queue runs
 * them with `describeScanQueueContract("memory", ...)`, the Redis-backed one with its own factory.
 * Nothing here knows where the jobs are stored.
 */

export type ScanQueueFactory = () => Promise<ScanQueue>;

let nextJob = 1;

export function scanJob(fields: Partial<ScanJob> = {}): ScanJob {
  const n = nextJob++;
  return {
    id: `contract-${process.pid}-${n}-${Math.random().toString(36).slice(2, 8)}`,
    deliveryId: `delivery-${n}`,
    trigger: "push",
    installationId: 1,
    owner: "octo-org",
    repo: "skills",
    headSha: n.toString(16).padStart(40, "0"),
    branch: `branch-${n}`,
    base: null,
    pullRequest: null,
    checkRunId: null,
    profile: null,
    enqueuedAt: Date.now(),
    ...fields,
  };
}

/** A worker whose jobs run until the test releases them, recording what it saw. */
export class GatedWorker implements ScanWorker {
  readonly started: ScanJob[] = [];
  readonly finished: ScanJob[] = [];
  readonly aborted: ScanJob[] = [];
  readonly supersededEvents: Superseded[] = [];
  running = 0;
  mostAtOnce = 0;
  private readonly gates = new Map<string, () => void>();
  /** When false, jobs finish as soon as they start. */
  constructor(private readonly gated = true) {}

  async run(job: ScanJob, signal: AbortSignal): Promise<void> {
    this.started.push(job);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      if (this.gated) {
        await new Promise<void>((resolve) => {
          this.gates.set(job.id, resolve);
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
      if (signal.aborted) this.aborted.push(job);
      else this.finished.push(job);
    } finally {
      this.running--;
    }
  }

  async superseded(event: Superseded): Promise<void> {
    this.supersededEvents.push(event);
  }

  release(job: ScanJob): void {
    this.gates.get(job.id)?.();
  }

  releaseAll(): void {
    for (const open of this.gates.values()) open();
  }
}

export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ids = (jobs: readonly ScanJob[]): string[] => jobs.map((job) => job.id);

export function describeScanQueueContract(name: string, factory: ScanQueueFactory): void {
  describe(`the ${name} scan queue keeps the contract`, () => {
    const made: { queue: ScanQueue; worker: GatedWorker }[] = [];
    const open = async (concurrency: number, gated = true): Promise<{ queue: ScanQueue; worker: GatedWorker }> => {
      const queue = await factory();
      const worker = new GatedWorker(gated);
      queue.start(worker, concurrency);
      made.push({ queue, worker });
      return { queue, worker };
    };

    afterEach(async () => {
      for (const { queue, worker } of made.splice(0)) {
        worker.releaseAll();
        await queue.close(2000);
      }
    });

    test("runs every job added, at most `concurrency` at once", async () => {
      const { queue, worker } = await open(2);
      const jobs = Array.from({ length: 5 }, () => scanJob());
      for (const job of jobs) expect(await queue.add(job)).toBe(true);
      await eventually(() => worker.started.length === 2, "two jobs start");
      expect(await queue.depth()).toEqual({ waiting: 3, running: 2 });
      for (let i = 0; i < 5; i++) {
        await eventually(() => worker.started.length > i, `job ${i + 1} starts`);
        worker.release(worker.started[i] as ScanJob);
      }
      await eventually(() => worker.finished.length === 5, "all five finish");
      expect(worker.mostAtOnce).toBe(2);
      expect(ids(worker.finished).sort()).toEqual(ids(jobs).sort());
      expect(await queue.depth()).toEqual({ waiting: 0, running: 0 });
    });

    test("a newer job of the same branch supersedes one still waiting: the older never runs, and is reported once", async () => {
      const { queue, worker } = await open(1);
      const blocker = scanJob({ branch: "other" });
      await queue.add(blocker);
      await eventually(() => worker.started.length === 1, "the blocker starts");
      const older = scanJob({ branch: "feature" });
      const newer = scanJob({ branch: "feature" });
      await queue.add(older);
      await queue.add(newer);
      await eventually(() => worker.supersededEvents.length === 1, "the older job is superseded");
      worker.release(blocker);
      await eventually(() => worker.started.length === 2, "the newer job starts");
      worker.release(newer);
      await eventually(() => worker.finished.length === 2, "the newer job finishes");
      expect(ids(worker.started)).toEqual([blocker.id, newer.id]);
      expect(worker.supersededEvents.map((e) => [e.job.id, e.by.id])).toEqual([[older.id, newer.id]]);
    });

    test("a newer job of the same branch aborts one that is running, which is reported once it stops, and then runs", async () => {
      const { queue, worker } = await open(2);
      const older = scanJob({ branch: "feature" });
      await queue.add(older);
      await eventually(() => worker.started.length === 1, "the older job starts");
      const newer = scanJob({ branch: "feature" });
      await queue.add(newer);
      await eventually(() => worker.aborted.length === 1, "the running job sees its signal abort");
      await eventually(() => worker.supersededEvents.length === 1, "the older job is reported superseded");
      await eventually(() => worker.started.length === 2, "the newer job starts");
      worker.release(newer);
      await eventually(() => worker.finished.length === 1, "the newer job finishes");
      expect(ids(worker.aborted)).toEqual([older.id]);
      expect(ids(worker.finished)).toEqual([newer.id]);
      expect(worker.supersededEvents.map((e) => [e.job.id, e.by.id])).toEqual([[older.id, newer.id]]);
    });

    test("a job asked for earlier that reaches the queue after a later one of its branch is the one superseded", async () => {
      const { queue, worker } = await open(1);
      const blocker = scanJob({ branch: "other" });
      await queue.add(blocker);
      await eventually(() => worker.started.length === 1, "the blocker starts");
      const later = scanJob({ branch: "feature", enqueuedAt: Date.now() });
      const earlier = scanJob({ branch: "feature", enqueuedAt: later.enqueuedAt - 1000 });
      await queue.add(later);
      await queue.add(earlier);
      await eventually(() => worker.supersededEvents.length === 1, "the earlier job is superseded");
      worker.release(blocker);
      await eventually(() => worker.started.length === 2, "the later job starts");
      worker.release(later);
      await eventually(() => worker.finished.length === 2, "the later job finishes");
      expect(ids(worker.started)).toEqual([blocker.id, later.id]);
      expect(worker.supersededEvents.map((e) => [e.job.id, e.by.id])).toEqual([[earlier.id, later.id]]);
    });

    test("jobs of other branches, repositories or installations do not supersede each other", async () => {
      const { queue, worker } = await open(4, false);
      const jobs = [
        scanJob({ branch: "main" }),
        scanJob({ branch: "feature" }),
        scanJob({ branch: "main", repo: "other" }),
        scanJob({ branch: "main", installationId: 2 }),
      ];
      for (const job of jobs) await queue.add(job);
      await eventually(() => worker.finished.length === 4, "all four finish");
      expect(worker.supersededEvents).toEqual([]);
    });

    test("a job added again under the same id runs once", async () => {
      const { queue, worker } = await open(1, false);
      const job = scanJob();
      expect(await queue.add(job)).toBe(true);
      expect(await queue.add({ ...job })).toBe(true);
      await eventually(() => worker.finished.length === 1, "the job finishes");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(worker.started).toHaveLength(1);
      expect(worker.supersededEvents).toEqual([]);
    });

    test("is fair across installations: one installation's backlog does not hold another's job back", async () => {
      const { queue, worker } = await open(1);
      const blocker = scanJob({ installationId: 10 });
      await queue.add(blocker);
      await eventually(() => worker.started.length === 1, "the blocker starts");
      const busy = Array.from({ length: 5 }, () => scanJob({ installationId: 10 }));
      for (const job of busy) await queue.add(job);
      const quiet = scanJob({ installationId: 20 });
      await queue.add(quiet);
      worker.release(blocker);
      await eventually(() => worker.started.length === 2, "a second job starts");
      expect(worker.started[1]?.id).toBe(quiet.id);
      worker.releaseAll();
      for (let i = 2; i < 7; i++) {
        await eventually(() => worker.started.length > i, `job ${i + 1} starts`);
        worker.releaseAll();
      }
      await eventually(() => worker.finished.length === 7, "all seven finish");
      // Within one installation, oldest first.
      expect(ids(worker.started.slice(2))).toEqual(ids(busy));
    });

    test("answers ready, refuses jobs once closing, and close waits for the running job", async () => {
      const { queue, worker } = await open(1);
      expect(await queue.ready()).toBe(true);
      const job = scanJob();
      await queue.add(job);
      await eventually(() => worker.started.length === 1, "the job starts");
      const closing = queue.close(5000);
      expect(await queue.add(scanJob())).toBe(false);
      let closed = false;
      void closing.then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      worker.release(job);
      expect(await closing).toBe(true);
      expect(ids(worker.finished)).toEqual([job.id]);
    });
  });
}
