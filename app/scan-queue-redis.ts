import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { laneOf, type ScanJob, type ScanQueue, type ScanWorker, type Superseded } from "./scan-queue.js";

/** Jobs waiting in Redis, beyond which a webhook that asks for a scan is answered 503. */
export const REDIS_SCAN_QUEUE_CAPACITY = 100_000;
/** BullMQ's own default: a worker that stops renewing its lock for this long is presumed dead. */
export const DEFAULT_LOCK_MS = 30_000;
/** How often a process asks Redis whether a job it runs was superseded by another process. */
export const DEFAULT_SUPERSEDE_POLL_MS = 1000;

export interface RedisScanQueueOptions {
  /** `redis://host:port/db`, as REDIS_URL gives it. */
  url: string;
  /** The BullMQ queue's name: every App and worker process sharing one name shares the jobs. */
  name?: string;
  /** Prefix of every key in Redis. */
  prefix?: string;
  capacity?: number;
  /**
   * How long a job stays locked to a worker that stopped renewing the lock (it died): after this,
   * and the next stalled check, another worker runs the job again.
   */
  lockMs?: number;
  /** How many times a job whose worker died is run again before it is given up as failed. */
  stalledRetries?: number;
  supersedePollMs?: number;
  /** How long `add` waits for Redis before answering false (the webhook is answered 503 and redelivered). */
  addTimeoutMs?: number;
  /** Called with what a job or the connection threw; jobs are expected to report their own failures. */
  onError?: (error: unknown) => void;
}

interface Running {
  job: ScanJob;
  controller: AbortController;
  /** The newest job that took this one's lane while it ran. */
  supersededBy: ScanJob | null;
}

/** Finished jobs are kept this long so that a redelivered webhook is still recognised and not run again. */
const KEEP_FINISHED_S = 24 * 3600;
/** Lane and claim keys outlive any job that could still refer to them. */
const KEY_TTL_S = 7 * 24 * 3600;
/** An installation's ranks are forgotten after this long without a job, in case a lost job left its entry. */
const FAIR_IDLE_MS = 3600_000;
/** How stale the count of waiting jobs that `add` holds against the capacity may be. */
const CAPACITY_CHECK_MS = 250;
/** BullMQ's highest priority number (the lowest priority). */
const LOWEST_PRIORITY = 2_097_151;

/**
 * Records a job's lane and its rank among its installation's jobs, in one step so that two
 * processes adding at once agree on which job is newest. A job that already exists in BullMQ (a
 * redelivered webhook) changes nothing. The rank is one more than the highest rank of the
 * installation's jobs still waiting or running, 1 when there are none: a job never overtakes an
 * older one of its own installation. Returns [added, the lane's previous newest job or "", rank].
 */
const ADD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, '', 0} end
local previous = redis.call('GET', KEYS[2]) or ''
-- The newer job is the one asked for later: one that reaches Redis after its lane's newest loses to it.
if previous ~= '' and tonumber(cjson.decode(previous).enqueuedAt) > tonumber(ARGV[5]) then return {2, previous, 0} end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
local rank = 1
local top = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
if #top > 0 then rank = tonumber(top[2]) + 1 end
redis.call('ZADD', KEYS[3], 'NX', rank, ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return {1, previous, rank}
`;

/**
 * The queue on Redis (BullMQ), shared by every App replica and `npm run worker` process that uses
 * the same Redis and name.
 *
 * - A job runs once: BullMQ hands each job to one worker under a lock, and a redelivered job id is
 *   not added again.
 * - A worker that dies mid-scan stops renewing its lock; after `lockMs` another worker's stalled
 *   check puts the job back and it runs again, up to `stalledRetries` times.
 * - Supersession: each lane's newest job is a key in Redis, set atomically on add. A waiting older
 *   job is removed and its `superseded` call goes through a second queue, so any process with a
 *   worker makes it at once, busy or not. A running one is aborted at once when it runs in the
 *   adding process, and otherwise within `supersedePollMs`, when its process next reads the lane
 *   keys of the jobs it runs. A claim key makes the `superseded` call once per job.
 * - Fairness: a job's BullMQ priority is its rank among its installation's jobs waiting or running
 *   (1 for the first, see ADD_SCRIPT), so workers take the first job of every installation before
 *   the second of any: a burst from one installation waits behind the others' single jobs, not the
 *   other way round.
 */
export class RedisScanQueue implements ScanQueue {
  private readonly name: string;
  private readonly prefix: string;
  private readonly capacity: number;
  private readonly lockMs: number;
  private readonly stalledRetries: number;
  private readonly pollMs: number;
  private readonly addTimeoutMs: number;
  private readonly onError: (error: unknown) => void;
  /** Adds and reads; fails fast while Redis is away, so a webhook is answered 503 rather than held. */
  private readonly redis: Redis;
  private readonly scans: Queue;
  private readonly notices: Queue;
  private readonly workers: { worker: Worker; connection: Redis }[] = [];
  private readonly running = new Map<string, Running>();
  private poller: NodeJS.Timeout | undefined;
  private waitingCount: { at: number; count: Promise<number> } | null = null;
  private closed = false;

  constructor(private readonly options: RedisScanQueueOptions) {
    this.name = options.name ?? "skilldex-scans";
    this.prefix = options.prefix ?? "skilldex";
    this.capacity = options.capacity ?? REDIS_SCAN_QUEUE_CAPACITY;
    this.lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    this.stalledRetries = options.stalledRetries ?? 2;
    this.pollMs = options.supersedePollMs ?? DEFAULT_SUPERSEDE_POLL_MS;
    this.addTimeoutMs = options.addTimeoutMs ?? 2000;
    this.onError = options.onError ?? (() => {});
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on("error", this.onError);
    this.redis.defineCommand("skilldexAddScan", { numberOfKeys: 3, lua: ADD_SCRIPT });
    const defaults = { removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } };
    this.scans = new Queue(this.name, { connection: this.redis, prefix: this.prefix, defaultJobOptions: defaults });
    this.notices = new Queue(`${this.name}-superseded`, { connection: this.redis, prefix: this.prefix, defaultJobOptions: defaults });
    this.scans.on("error", this.onError);
    this.notices.on("error", this.onError);
  }

  async add(job: ScanJob): Promise<boolean> {
    if (this.closed) return false;
    try {
      return await withTimeout(this.store(job), this.addTimeoutMs, `Redis at ${redisAddress(this.options.url)} did not store the job within ${this.addTimeoutMs} ms`);
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  start(worker: ScanWorker, concurrency: number): void {
    if (this.closed || this.workers.length > 0) return;
    const common = { prefix: this.prefix, lockDuration: this.lockMs, stalledInterval: Math.max(250, Math.round(this.lockMs / 2)), maxStalledCount: this.stalledRetries };
    const scanConnection = new Redis(this.options.url, { maxRetriesPerRequest: null });
    const noticeConnection = new Redis(this.options.url, { maxRetriesPerRequest: null });
    const scans = new Worker(this.name, (bullJob: Job<ScanJob>) => this.runScan(worker, bullJob.data), { ...common, connection: scanConnection, concurrency });
    const notices = new Worker(`${this.name}-superseded`, (bullJob: Job<Superseded>) => this.report(worker, bullJob.data), { ...common, connection: noticeConnection, concurrency });
    for (const { worker: w, connection } of [
      { worker: scans, connection: scanConnection },
      { worker: notices, connection: noticeConnection },
    ]) {
      connection.on("error", this.onError);
      w.on("error", this.onError);
      w.on("failed", (failed, error) => {
        // A job given up on (its workers died too often) leaves its installation's ranks.
        if (failed?.data && "installationId" in failed.data) void this.redis.zrem(this.key(`fair:${failed.data.installationId}`), failed.data.id).catch(this.onError);
        this.onError(error);
      });
      this.workers.push({ worker: w, connection });
    }
  }

  async depth(): Promise<{ waiting: number; running: number }> {
    const counts = await this.scans.getJobCounts("waiting", "prioritized", "delayed", "active");
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), running: counts.active ?? 0 };
  }

  async ready(): Promise<boolean> {
    try {
      return (await withTimeout(this.redis.ping(), 1000, "no PONG")) === "PONG";
    } catch {
      return false;
    }
  }

  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    const finished = Promise.all(this.workers.map(({ worker }) => worker.close())).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const allFinished = await Promise.race([finished, late]);
    clearTimeout(timer);
    // A job cut off here keeps its lock until it expires; then another worker runs it again.
    if (!allFinished) await Promise.all(this.workers.map(({ worker }) => worker.close(true).catch(this.onError)));
    clearInterval(this.poller);
    await Promise.all([this.scans.close(), this.notices.close()]).catch(this.onError);
    for (const connection of [this.redis, ...this.workers.map((w) => w.connection)]) connection.disconnect();
    return allFinished;
  }

  private key(part: string): string {
    return `${this.prefix}:${this.name}:${part}`;
  }

  private laneKey(job: ScanJob): string {
    return this.key(`lane:${laneOf(job)}`);
  }

  private async store(job: ScanJob): Promise<boolean> {
    if ((await this.waitingSoon()) >= this.capacity) return false;
    const [added, previous, rank] = (await (this.redis as Redis & { skilldexAddScan(...args: (string | number)[]): Promise<[number, string, number]> }).skilldexAddScan(
      this.scans.toKey(bullJobId(job.id)),
      this.laneKey(job),
      this.key(`fair:${job.installationId}`),
      JSON.stringify(job),
      job.id,
      KEY_TTL_S,
      FAIR_IDLE_MS,
      job.enqueuedAt,
    )) as [number, string, number];
    if (added === 0) return true;
    if (added === 2) {
      // Asked for before its lane's newest job: it never runs, and is reported superseded by it.
      await this.notices.add("superseded", { job, by: JSON.parse(previous) as ScanJob } satisfies Superseded, { jobId: bullJobId(`superseded-${job.id}`) });
      return true;
    }
    await this.scans.add("scan", job, { jobId: bullJobId(job.id), priority: Math.min(rank, LOWEST_PRIORITY) });
    if (previous !== "") {
      const older = JSON.parse(previous) as ScanJob;
      if (older.id !== job.id) await this.supersede(older, job);
    }
    return true;
  }

  /** The older job lost its lane to `newer`: removed while it waits; aborted while it runs. */
  private async supersede(older: ScanJob, newer: ScanJob): Promise<void> {
    const here = this.running.get(older.id);
    if (here) {
      here.supersededBy = newer;
      here.controller.abort();
      return;
    }
    const bullJob = await this.scans.getJob(bullJobId(older.id));
    if (!bullJob) return;
    const state = await bullJob.getState();
    if (state !== "waiting" && state !== "prioritized" && state !== "delayed") return;
    try {
      // Refused while a worker holds the job's lock: that worker's next look at the lane aborts it.
      await bullJob.remove();
    } catch {
      return;
    }
    await this.redis.zrem(this.key(`fair:${older.installationId}`), older.id);
    await this.notices.add("superseded", { job: older, by: newer } satisfies Superseded, { jobId: bullJobId(`superseded-${older.id}`) });
  }

  /**
   * Jobs waiting, counted at most every CAPACITY_CHECK_MS: a burst of webhooks shares one count
   * instead of each paying for it, and the capacity is a bound on memory, not an exact limit.
   */
  private waitingSoon(): Promise<number> {
    if (this.waitingCount === null || Date.now() - this.waitingCount.at > CAPACITY_CHECK_MS) {
      const count = this.depth().then(({ waiting }) => waiting);
      this.waitingCount = { at: Date.now(), count };
      count.catch(() => (this.waitingCount = null));
    }
    return this.waitingCount.count;
  }

  /** The lane's newest job, when it is another than `job`. */
  private async newerThan(job: ScanJob): Promise<ScanJob | null> {
    const newest = await this.redis.get(this.laneKey(job));
    if (newest === null) return null;
    const parsed = JSON.parse(newest) as ScanJob;
    return parsed.id === job.id ? null : parsed;
  }

  private async runScan(worker: ScanWorker, job: ScanJob): Promise<void> {
    const newer = await this.newerThan(job);
    if (newer) {
      await this.redis.zrem(this.key(`fair:${job.installationId}`), job.id);
      await this.report(worker, { job, by: newer });
      return;
    }
    const run: Running = { job, controller: new AbortController(), supersededBy: null };
    this.running.set(job.id, run);
    this.poller ??= setInterval(() => void this.pollLanes().catch(this.onError), this.pollMs);
    try {
      await worker.run(job, run.controller.signal);
    } catch (error) {
      if (!run.controller.signal.aborted) throw error;
    } finally {
      this.running.delete(job.id);
      if (this.running.size === 0) {
        clearInterval(this.poller);
        this.poller = undefined;
      }
      void this.redis.zrem(this.key(`fair:${job.installationId}`), job.id).catch(this.onError);
    }
    if (run.supersededBy) await this.report(worker, { job, by: run.supersededBy });
  }

  /** Aborts the jobs this process runs whose lane another process gave to a newer job. */
  private async pollLanes(): Promise<void> {
    const runs = [...this.running.values()].filter((run) => !run.controller.signal.aborted);
    if (runs.length === 0) return;
    const newest = await this.redis.mget(runs.map((run) => this.laneKey(run.job)));
    runs.forEach((run, i) => {
      const value = newest[i];
      if (value === null || value === undefined) return;
      const by = JSON.parse(value) as ScanJob;
      if (by.id === run.job.id) return;
      run.supersededBy = by;
      run.controller.abort();
    });
  }

  /** Calls `superseded` unless some process already did for this job. */
  private async report(worker: ScanWorker, event: Superseded): Promise<void> {
    const claimed = await this.redis.set(this.key(`superseded:${event.job.id}`), event.by.id, "EX", KEY_TTL_S, "NX");
    if (claimed === "OK") await worker.superseded(event);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** host:port of a Redis URL, without the password it may carry. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "the configured Redis";
  }
}

/**
 * The id BullMQ stores a job under: BullMQ refuses a custom id holding `:` (its key separator),
 * and the App's job ids hold one, so `%` and `:` are escaped; distinct ids stay distinct.
 */
export function bullJobId(id: string): string {
  return id.replace(/%/g, "%25").replace(/:/g, "%3A");
}
