import { Octokit, type OctokitOptions } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { silentLogger, type Logger } from "../telemetry/log.js";
import { readFileAtRef, type GitHubRepository } from "./files.js";

/**
 * The one GitHub client of the CLI and the Action: Octokit with retries, throttling and a count of
 * the requests it sends. The App talks through probot's Octokit, which retries and throttles on
 * its own (app/octokit.ts), and hands it to the same reads (files.ts); its writes stay in
 * app/github.ts. Every failure goes through the one translation of errors.ts.
 */

const DEFAULT_API_URL = "https://api.github.com";

export interface GitHubClientOptions {
  /** Sent only in the Authorization header; anonymous when empty or absent. */
  token?: string | null;
  /** The REST root; GITHUB_API_URL when absent, else api.github.com. */
  baseUrl?: string | null;
  /** The fetch requests go through (a runner's proxy-aware fetch, or a test's); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Further attempts after a 5xx, a 429 or a request that got no answer; 3 by default. */
  retries?: number;
  /** Milliseconds per second of a retry or rate-limit wait: 1000, except in tests. */
  retryAfterBaseValue?: number;
  /** Whether writes are spaced a second apart, as GitHub asks of integrations; true by default. */
  paceWrites?: boolean;
  /**
   * Whether requests wait for plugin-throttling's limit of ten in flight, which every client of the
   * process shares, whatever its token; true by default. The API source, which bounds its own
   * requests, turns it off, so one repository's reads do not hold another's (the App's scans of
   * other installations).
   */
  sharedConcurrencyLimit?: boolean;
  logger?: Logger;
}

/** What the client sent and received, retries included: the figures rate limits are counted in. */
export interface RequestCounts {
  requests: number;
  /** Response body bytes received. */
  bytes: number;
}

/** Rate-limit waits longer than this fail the request rather than hold the run, in seconds. */
export const LONGEST_RATE_LIMIT_WAIT = 60;
/** Rate limits waited out per request. */
export const RATE_LIMIT_RETRIES = 2;

/**
 * Counts every HTTP request, retries included. Registered as the first plugin, so its hook is the
 * innermost one and sees each attempt that plugin-retry and plugin-throttling make.
 */
function countRequests(octokit: Octokit, options: OctokitOptions & { counts?: RequestCounts }): void {
  const counts = options.counts;
  if (!counts) return;
  octokit.hook.wrap("request", (request, requestOptions) => {
    counts.requests++;
    return request(requestOptions);
  });
}

const SkilldexOctokit = Octokit.plugin(countRequests, retry, throttling);

export type GitHubOctokit = InstanceType<typeof SkilldexOctokit>;

/**
 * Stands in for a Bottleneck group of plugin-throttling (`key(id).schedule(options, fn, ...args)`),
 * running jobs at once up to a number in flight: how the App and the API source turn off the
 * one-write-a-second pacing, which plugin-throttling applies to GraphQL queries too.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  key(): this {
    return this;
  }

  async schedule<T>(_options: unknown, job: (...args: unknown[]) => Promise<T> | T, ...args: unknown[]): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job(...args);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

const unpaced = new ConcurrencyLimit(Number.POSITIVE_INFINITY);

/** The REST root a client talks to: the option, else GITHUB_API_URL, else api.github.com; no trailing slash. */
function apiBaseUrl(baseUrl?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  return (baseUrl || env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");
}

/** Builds the Octokit; `counts` is updated with every request it sends and every byte it receives. */
function createOctokit(options: GitHubClientOptions = {}, counts: RequestCounts = { requests: 0, bytes: 0 }): GitHubOctokit {
  const log = options.logger ?? silentLogger;
  const base = options.retryAfterBaseValue ?? 1000;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT;
      log.warn(`GitHub's ${kind} was hit; ${retrying ? `retrying in ${retryAfter} s` : "giving up"}`, { method: request.method, url: request.url, retryAfter, retrying });
      return retrying;
    };
  return new SkilldexOctokit({
    // The token goes in the Authorization header only, never in a URL or a message.
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: apiBaseUrl(options.baseUrl),
    userAgent: "skilldex",
    counts,
    request: { fetch: countingBytes(baseFetch, counts) },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: base },
    throttle: {
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      retryAfterBaseValue: base,
      ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced } : {}),
      ...(options.sharedConcurrencyLimit === false ? { global: unpaced } : {}),
    },
    log: { debug: (m: string) => log.debug(m), info: (m: string) => log.debug(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
  } as ConstructorParameters<typeof SkilldexOctokit>[0]);
}

/**
 * The client of one repository: its Octokit, the repository it is for, and what it has sent. The
 * Action and the API source each make one; everything they read or write goes through files.ts
 * and checks.ts with it.
 */
export class GitHubClient {
  readonly octokit: GitHubOctokit;
  readonly owner: string;
  readonly repo: string;
  /** Sent only in headers; kept to scrub it from anything GitHub echoes back. */
  readonly token: string | null;
  private readonly counts: RequestCounts = { requests: 0, bytes: 0 };

  constructor(options: GitHubClientOptions & { owner: string; repo: string }) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.token = options.token || null;
    this.octokit = createOctokit(options, this.counts);
  }

  /** HTTP requests sent, retries included. */
  get requests(): number {
    return this.counts.requests;
  }

  /** Response body bytes received. */
  get bytes(): number {
    return this.counts.bytes;
  }

  /** The repository and this Octokit, as files.ts and checks.ts take them. */
  get repository(): GitHubRepository {
    return { octokit: this.octokit, owner: this.owner, repo: this.repo, credentials: "token", secrets: [this.token], anonymous: this.token === null };
  }

  /** contents: read. A settings file's bytes at a ref, or null when there is none; see readFileAtRef. */
  async readFile(path: string, ref: string): Promise<Buffer | null> {
    const file = await readFileAtRef(this.repository, path, ref);
    return file && Buffer.from(file.bytes);
  }
}

/** fetch, with the bytes of each response body added to `counts` as they arrive. */
function countingBytes(fetchImpl: typeof globalThis.fetch, counts: RequestCounts): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.body === null || [101, 204, 205, 304].includes(response.status)) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        counts.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const counted = new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(counted, "url", { value: response.url });
    return counted;
  };
}
