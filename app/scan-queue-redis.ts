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
  /** Called with what a job threw, or Redis answered unexpectedly; jobs are expected to report their own failures. */
  onError?: (error: unknown) => void;
  /**
   * Called once when Redis stops answering this process, and once when every connection answers
   * again; the errors in between (each reconnection attempt's) are not reported one by one.
   */
  onConnection?: (change: RedisConnectionChange) => void;
}

/** Redis went away or came back, as one line can say it. */
export type RedisConnectionChange = { state: "lost"; message: string } | { state: "back"; message: string; downMs: number };

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
/** How long closing waits for BullMQ's own cleanup in Redis, which never ends while Redis is away. */
const CLOSE_REDIS_MS = 1000;
/** Errors that mean Redis is out of reach rather than that it refused a command. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

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
  private readonly onConnection: (change: RedisConnectionChange) => void;
  /** Connections that lost Redis and have not reconnected; Redis is away while any is here. */
  private readonly down = new Set<Redis>();
  private downSince = 0;
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
    this.onConnection = options.onConnection ?? (() => {});
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    this.watch(this.redis);
    this.redis.defineCommand("skilldexAddScan", { numberOfKeys: 3, lua: ADD_SCRIPT });
    const defaults = { removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } };
    this.scans = new Queue(this.name, { connection: this.redis, prefix: this.prefix, defaultJobOptions: defaults });
    this.notices = new Queue(`${this.name}-superseded`, { connection: this.redis, prefix: this.prefix, defaultJobOptions: defaults });
    this.scans.on("error", this.problem);
    this.notices.on("error", this.problem);
  }

  /** Whether every connection of this process answers (false from the first failed reconnection until all are back). */
  get connected(): boolean {
    return this.down.size === 0;
  }

  /** Follows one connection: its first failure says Redis is lost, the last one's reconnection that it is back. */
  private watch(connection: Redis): void {
    connection.on("error", (error: unknown) => {
      if (!isConnectionError(error)) return this.onError(error);
      if (this.closed) return;
      const wasConnected = this.down.size === 0;
      this.down.add(connection);
      if (!wasConnected) return;
      this.downSince = Date.now();
      const problem = error instanceof Error ? error.message : String(error);
      this.onConnection({ state: "lost", message: `lost Redis at ${redisAddress(this.options.url)} (${problem}): no scan is queued or taken until it answers again; retrying` });
    });
    connection.on("ready", () => {
      if (!this.down.delete(connection) || this.down.size > 0 || this.closed) return;
      const downMs = Date.now() - this.downSince;
      this.onConnection({ state: "back", downMs, message: `Redis at ${redisAddress(this.options.url)} answers again after ${(downMs / 1000).toFixed(1)} s: scans are queued and taken again` });
    });
  }

  /**
   * What BullMQ or a command threw. A lost connection is reported once, by `watch` (BullMQ's own
   * connections fail with it), and while Redis is away every failure is a consequence of that.
   */
  private readonly problem = (error: unknown): void => {
    if (isConnectionError(error) || this.down.size > 0 || this.closed) return;
    this.onError(error);
  };

  async add(job: ScanJob): Promise<boolean> {
    if (this.closed) return false;
    try {
      return await withTimeout(this.store(job), this.addTimeoutMs, `Redis at ${redisAddress(this.options.url)} did not store the job within ${this.addTimeoutMs} ms`);
    } catch (error) {
      this.problem(error);
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
      this.watch(connection);
      w.on("error", this.problem);
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

  /**
   * Bounded whatever Redis does: BullMQ's close waits on Redis, forever while it is away. The
   * scans running here may finish within `timeoutMs` (they need GitHub, not Redis); once none runs
   * here and Redis is away, nothing is left worth waiting for.
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    const started = Date.now();
    let closed = false;
    const closing = Promise.all(this.workers.map(({ worker }) => worker.close())).then(() => (closed = true));
    const idleWithoutRedis = this.until(() => closed || (this.running.size === 0 && this.down.size > 0), timeoutMs);
    const allFinished = (await firstOf([closing, idleWithoutRedis])) === true;
    // A job cut off here keeps its lock until it expires; then another worker runs it again.
    if (!allFinished || this.down.size > 0) await firstOf([Promise.all(this.workers.map(({ worker }) => worker.close(true).catch(this.problem))).then(() => undefined), sleep(CLOSE_REDIS_MS)]);
    clearInterval(this.poller);
    await firstOf([Promise.all([this.scans.close(), this.notices.close()]).then(() => undefined, this.problem), sleep(Math.min(CLOSE_REDIS_MS, Math.max(0, timeoutMs - (Date.now() - started))))]);
    for (const connection of [this.redis, ...this.workers.map((w) => w.connection)]) connection.disconnect();
    return allFinished && this.running.size === 0;
  }

  /** Resolves true once `done` holds, checked every 50 ms, or false after `timeoutMs`. */
  private async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    for (const deadline = Date.now() + timeoutMs; !done(); ) {
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(50, deadline - Date.now()));
    }
    return true;
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

  /**
   * Calls `superseded` unless some process already did for this job, or is doing it. The claim
   * is held for one lock's time while the call runs, and kept once it returned: a process that
   * dies in the call leaves it to the next run of its job (or notice), which comes after the lock
   * expired, so the check run is not left in progress.
   */
  private async report(worker: ScanWorker, event: Superseded): Promise<void> {
    const claim = this.key(`superseded:${event.job.id}`);
    if ((await this.redis.set(claim, `calling:${event.by.id}`, "PX", this.lockMs, "NX")) !== "OK") return;
    await worker.superseded(event);
    await this.redis.set(claim, event.by.id, "EX", KEY_TTL_S);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The first of the promises to settle (a rejection counts as settled with undefined). */
function firstOf<T>(promises: Promise<T>[]): Promise<T | undefined> {
  return Promise.race(promises.map((p) => p.catch(() => undefined)));
}

/** Whether an error says Redis is out of reach (refused, reset, closed, unanswered), not that it refused a command. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return error.name === "MaxRetriesPerRequestError" || /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable/i.test(error.message);
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
