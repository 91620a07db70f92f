import { untilIdle } from "./queue.js";
import { laneOf, type ScanJob, type ScanQueue, type ScanWorker, type Superseded } from "./scan-queue.js";

/** Scans at once in one process, unless SCAN_WORKERS says otherwise: a scan mostly waits on GitHub and git. */
export const DEFAULT_SCAN_WORKERS = 2;
/** Jobs waiting in memory, beyond which a webhook that asks for a scan is answered 503. */
export const SCAN_QUEUE_CAPACITY = 10_000;

/**
 * SCAN_WORKERS as a whole number of at least `minimum` (1, or 0 for an App process on Redis whose
 * scans `npm run worker` processes run); the default when unset, not a number or below it.
 */
export function scanWorkersFromEnv(env: NodeJS.ProcessEnv, minimum = 1): number {
  const n = Number.parseInt(env.SCAN_WORKERS ?? "", 10);
  return Number.isInteger(n) && n >= minimum ? n : DEFAULT_SCAN_WORKERS;
}

interface Running {
  job: ScanJob;
  controller: AbortController;
  /** The newest job that took this one's lane while it ran. */
  supersededBy: ScanJob | null;
}

/**
 * The queue in this process, the default when REDIS_URL is not set. Jobs wait per installation;
 * a free worker takes the oldest job of the next installation in turn, so one busy organisation
 * cannot starve the others. A job is superseded by a newer one of its lane: at once while it
 * waits, through its signal while it runs. Nothing survives the process: a job lost with it is
 * re-run from the check run's "Re-run" on GitHub.
 */
export class MemoryScanQueue implements ScanQueue {
  /** Waiting jobs, oldest first, per installation. */
  private readonly waiting = new Map<number, ScanJob[]>();
  /** When each installation last had a job taken (a count of jobs taken), to serve the one that waited longest. */
  private readonly lastServed = new Map<number, number>();
  private taken = 0;
  private readonly running = new Map<string, Running>();
  /** Job ids seen, so a redelivered webhook does not scan twice. */
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  /** Supersessions that happened before a worker started. */
  private readonly pending: Superseded[] = [];
  private worker: ScanWorker | null = null;
  private concurrency = 0;
  private closed = false;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly capacity = SCAN_QUEUE_CAPACITY) {}

  async add(job: ScanJob): Promise<boolean> {
    if (this.closed || this.waitingCount() >= this.capacity) return false;
    if (this.seen.has(job.id)) return true;
    this.remember(job.id);
    const lane = laneOf(job);
    // Newer means asked for later: a job whose webhook came first but reached the queue after
    // a later one of its lane (its handler was slower) is superseded by that one at once.
    const later = this.laterInLane(job, lane);
    if (later) {
      this.supersede({ job, by: later });
      return true;
    }
    for (const [installation, jobs] of this.waiting) {
      const index = jobs.findIndex((older) => laneOf(older) === lane);
      if (index < 0) continue;
      const [older] = jobs.splice(index, 1) as [ScanJob];
      if (jobs.length === 0) this.waiting.delete(installation);
      this.supersede({ job: older, by: job });
    }
    for (const run of this.running.values()) {
      if (laneOf(run.job) !== lane) continue;
      run.supersededBy = job;
      run.controller.abort();
    }
    const jobs = this.waiting.get(job.installationId);
    if (jobs) jobs.push(job);
    else this.waiting.set(job.installationId, [job]);
    this.next();
    return true;
  }

  start(worker: ScanWorker, concurrency: number): void {
    this.worker = worker;
    this.concurrency = Math.max(1, concurrency);
    for (const event of this.pending.splice(0)) this.supersede(event);
    this.next();
  }

  async depth(): Promise<{ waiting: number; running: number }> {
    return { waiting: this.waitingCount(), running: this.running.size };
  }

  async ready(): Promise<boolean> {
    return true;
  }

  /** Jobs already waiting still run within the deadline: in memory they would be lost. */
  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.isIdle()) return true;
    return untilIdle(this.idle, timeoutMs);
  }

  private next(): void {
    const worker = this.worker;
    if (worker === null) return;
    while (this.running.size < this.concurrency && this.waiting.size > 0) {
      const installation = this.nextInstallation();
      const jobs = this.waiting.get(installation) as ScanJob[];
      const job = jobs.shift() as ScanJob;
      if (jobs.length === 0) this.waiting.delete(installation);
      this.lastServed.set(installation, ++this.taken);
      const run: Running = { job, controller: new AbortController(), supersededBy: null };
      this.running.set(job.id, run);
      void this.runOne(worker, run);
    }
  }

  private async runOne(worker: ScanWorker, run: Running): Promise<void> {
    try {
      await worker.run(run.job, run.controller.signal);
    } catch {
      // The worker reports its own failures on the check run; nothing more to do here.
    } finally {
      this.running.delete(run.job.id);
      if (run.supersededBy) this.supersede({ job: run.job, by: run.supersededBy });
      this.next();
      if (this.isIdle()) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private supersede(event: Superseded): void {
    if (this.worker === null) {
      this.pending.push(event);
      return;
    }
    void this.worker.superseded(event).catch(() => undefined);
  }

  private laterInLane(job: ScanJob, lane: string): ScanJob | null {
    const jobs = [...this.running.values()].filter((run) => run.supersededBy === null).map((run) => run.job);
    for (const waiting of this.waiting.values()) jobs.push(...waiting);
    return jobs.find((other) => other.enqueuedAt > job.enqueuedAt && laneOf(other) === lane) ?? null;
  }

  /** Round robin: the installation with waiting jobs whose last job was taken longest ago (or never). */
  private nextInstallation(): number {
    let chosen = -1;
    let oldest = Number.POSITIVE_INFINITY;
    for (const installation of this.waiting.keys()) {
      const served = this.lastServed.get(installation) ?? 0;
      if (served < oldest) {
        oldest = served;
        chosen = installation;
      }
    }
    return chosen;
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.seenOrder.push(id);
    // Redeliveries come within hours; the memory of ids stays bounded.
    if (this.seenOrder.length > this.capacity) this.seen.delete(this.seenOrder.shift() as string);
  }

  private waitingCount(): number {
    let n = 0;
    for (const jobs of this.waiting.values()) n += jobs.length;
    return n;
  }

  private isIdle(): boolean {
    return this.running.size === 0 && (this.waitingCount() === 0 || this.worker === null);
  }
}
