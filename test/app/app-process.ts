import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { setPriority } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { PRIVATE_KEY } from "./helpers.js";

/**
 * The app as `npm run app` runs it, `node lib/app/main.js` in a process of its own, with its log
 * on standard output, and what a test needs around it: signed webhooks over HTTP, the log lines,
 * the process's peak memory.
 */

export const SECRET = "webhook-secret-for-deployed-tests";
const ROOT = new URL("../../", import.meta.url).pathname;

export interface LogLine {
  level: number;
  msg?: string;
  traceId?: string;
  [field: string]: unknown;
}

export interface AppProcess {
  base: string;
  port: number;
  pid: number;
  /** Everything it wrote to standard output and standard error. */
  output(): string;
  /** Its JSON log lines so far. */
  lines(): LogLine[];
  /** Peak resident memory in bytes (VmHWM). */
  peakRss(): number;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Fails with a clear message when lib/ is older than the sources the process would run. */
export function requireFreshBuild(): void {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) => (entry.isDirectory() ? newest(join(dir, entry.name)) : entry.name.endsWith(".ts") ? statSync(join(dir, entry.name)).mtimeMs : 0)),
    );
  const sources = Math.max(newest(join(ROOT, "app")), newest(join(ROOT, "src")));
  let built: number;
  try {
    built = Math.min(...readdirSync(join(ROOT, "lib/app")).filter((f) => f.endsWith(".js")).map((f) => statSync(join(ROOT, "lib/app", f)).mtimeMs));
  } catch {
    built = 0;
  }
  if (built < sources) throw new Error("lib/ is older than app/ or src/: run `npm run build` (npm test does) before these tests");
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The App's variables, as a deployment sets them, for an App or worker process against a GitHub at `githubHost`. */
function appEnv(githubHost: string, more: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    APP_ID: "123",
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: githubHost,
    GHE_PROTOCOL: "http",
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    ...more,
  };
}

/**
 * Runs `node lib/app/<entry>.js`, keeping what it writes: both streams as they arrive (a chunk of
 * one may land inside a line of the other), and standard output alone, where the JSON log goes.
 */
function spawnEntry(entry: "main" | "worker", env: Record<string, string>): { child: ChildProcess; output: () => string; stdout: () => string; exited: Promise<number | null> } {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, `lib/app/${entry}.js`)], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** The JSON lines of what a process or server logged. */
export function logLinesOf(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Starts `node lib/app/main.js` against a GitHub at `githubHost` (host:port, over HTTP) and waits for /health; on a free port unless `more` names PORT. */
export async function startAppProcess(githubHost: string, more: Record<string, string> = {}): Promise<AppProcess> {
  const port = more.PORT ? Number(more.PORT) : await freePort();
  const { child, output, stdout, exited } = spawnEntry("main", appEnv(githubHost, { PORT: String(port), HOST: "127.0.0.1", ...more }));
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 50) {
    if (child.exitCode !== null) throw new Error(`the app exited at start:\n${output()}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (waited > 20_000) throw new Error(`the app did not answer /health within 20 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    base,
    port,
    pid: child.pid as number,
    output,
    lines: () => logLinesOf(stdout()),
    peakRss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    },
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface WorkerProcess {
  pid: number;
  /** Everything it wrote: the App's JSON log on standard output, its own lines on standard error. */
  output(): string;
  lines(): LogLine[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node lib/app/worker.js` (`npm run worker`) as the App against `githubHost`, and waits
 * for its start line. `nice` lowers its CPU priority, to stand for a worker on a machine of its own.
 */
export async function startWorkerProcess(githubHost: string, more: Record<string, string>, options: { nice?: number } = {}): Promise<WorkerProcess> {
  const { child, output, stdout, exited } = spawnEntry("worker", appEnv(githubHost, more));
  if (options.nice !== undefined && child.pid !== undefined) setPriority(child.pid, options.nice);
  await waitUntil(() => output().includes("taking scans from Redis") || child.exitCode !== null, 20_000, "the worker's start line");
  if (child.exitCode !== null) throw new Error(`the worker exited at start:\n${output()}`);
  return {
    pid: child.pid as number,
    output,
    lines: () => logLinesOf(stdout()),
    exited,
    kill: (signal) => void child.kill(signal),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export const sign = (body: string | Buffer, secret = SECRET): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** Posts one webhook as GitHub does, timing the answer. */
export async function postWebhook(
  base: string,
  body: string,
  options: { delivery: string; event?: string; signature?: string | null },
): Promise<{ status: number; ms: number }> {
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": options.event ?? "issue_comment", "x-github-delivery": options.delivery };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const started = performance.now();
  const response = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers, body });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/**
 * Posts signed `issue_comment` webhooks from a thread of its own, `concurrency` at a time, timing
 * each answer, so the loopback GitHub on the test's own thread does not slow the clock that times the app.
 */
export async function postWebhooksFromWorker(base: string, bodies: string[], concurrency: number, secret = SECRET): Promise<{ status: number; ms: number }[]> {
  return postDeliveriesFromWorker(
    bodies.map((body, i) => ({ base, event: "issue_comment", id: `delivery-load-${i}`, body })),
    concurrency,
    secret,
  );
}

/** One signed delivery to post: to the App at `base`, as event `event` with delivery id `id`. */
export interface Delivery {
  base: string;
  event: string;
  id: string;
  body: string;
}

/** postWebhooksFromWorker for deliveries of any event, each to its own App (as a load balancer spreads them). */
export async function postDeliveriesFromWorker(deliveries: Delivery[], concurrency: number, secret = SECRET): Promise<{ status: number; ms: number }[]> {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    const { createHmac } = require("node:crypto");
    const { deliveries, concurrency, secret } = workerData;
    const results = new Array(deliveries.length);
    let next = 0;
    async function one(i) {
      const { base, event, id, body } = deliveries[i];
      const headers = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id,
        "x-hub-signature-256": "sha256=" + createHmac("sha256", secret).update(body).digest("hex") };
      const started = performance.now();
      const response = await fetch(base + "/api/github/webhooks", { method: "POST", headers, body });
      await response.arrayBuffer();
      results[i] = { status: response.status, ms: performance.now() - started };
    }
    Promise.all(Array.from({ length: concurrency }, async () => { while (next < deliveries.length) await one(next++); }))
      .then(() => parentPort.postMessage(results), (error) => parentPort.postMessage({ error: String(error) }));
  `;
  const worker = new Worker(code, { eval: true, workerData: { deliveries, concurrency, secret } });
  try {
    const answer = await new Promise<unknown>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (!Array.isArray(answer)) throw new Error(`the load thread failed: ${(answer as { error?: string }).error}`);
    return answer as { status: number; ms: number }[];
  } finally {
    await worker.terminate();
  }
}

/** Runs the jobs with at most `concurrency` at once, keeping their results in order. */
export async function inPool<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

/**
 * How long the App took to answer each webhook by its own clock, from the request to the answer
 * sent (pino-http's line); the client's clock also holds the time a loaded machine took to
 * schedule both processes.
 */
export function servedWebhookMs(app: AppProcess): number[] {
  return app.lines().flatMap((line) => {
    const ms = /^POST \/api\/github\/webhooks 202 - (\d+)ms$/.exec(line.msg ?? "")?.[1];
    return ms === undefined ? [] : [Number(ms)];
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Polls until `done` holds, or fails after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}
