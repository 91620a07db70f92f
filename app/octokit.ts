import { ProbotOctokit } from "probot";
// Rate limits are waited out as often, and as long, as the CLI and the Action wait them out.
import { ConcurrencyLimit, LONGEST_RATE_LIMIT_WAIT, RATE_LIMIT_RETRIES } from "../src/github/client.js";

/**
 * The Octokit the app talks to GitHub with: probot's, with its retries and its throttling tuned
 * for an app that answers people within seconds.
 *
 * - A 409 or 422 is never re-sent: re-sending a write with the blob sha GitHub just refused cannot
 *   succeed, and the read-edit-write loop in write.ts is the one place that can fix it.
 * - 5xx answers and requests that got no answer are tried once more, after a second; then the
 *   command's answer says what happened.
 * - A rate limit GitHub answers with 403 or 429 is waited out at most twice, and only when GitHub
 *   asks for a minute or less; otherwise the command fails and says so.
 * - Writes are not spaced a second apart. plugin-throttling does that for every write of the
 *   process, whatever the installation, so a burst of twenty commands (three writes each) would
 *   wait a minute; writes to the skip file are coalesced instead (write.ts), and a secondary rate
 *   limit is still honoured when GitHub answers with one.
 * - A request GitHub does not answer within 30 seconds is abandoned.
 * - Every request of one installation goes through that installation's budget (below): its
 *   commands, its check runs and its scans' API source alike, wherever probot made the Octokit.
 */

/** Statuses the HTTP layer never retries: plugin-retry's own list, plus 409. */
export const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451] as const;

/** Retries of a 5xx or of a request that got no answer. */
export const SERVER_ERROR_RETRIES = 1;


/** GitHub's own advice: no more than 100 concurrent requests (per installation, each its own budget). */
export const MAX_CONCURRENT_REQUESTS = 100;

export const REQUEST_TIMEOUT_MS = 30_000;

type ThrottleHandler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn: (message: string) => void } }, retryCount: number) => boolean;

const waitOut =
  (what: string): ThrottleHandler =>
  (retryAfter, options, octokit, retryCount) => {
    const retry = retryCount < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT;
    octokit.log.warn(`${what} hit with "${options.method} ${options.url}"; ${retry ? `retrying in ${retryAfter} seconds` : "not retrying"}`);
    return retry;
  };

const unlimited = new ConcurrencyLimit(Number.POSITIVE_INFINITY);

/** fetch, abandoned after REQUEST_TIMEOUT_MS (a TimeoutError, which the app reports as a timeout). */
const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return fetch(input, { ...init, signal });
};

/**
 * One installation's share of GitHub's limits in this process. GitHub counts rate limits per
 * installation, so when it answers one request with a rate limit (403 or 429 with `retry-after`,
 * `x-ratelimit-remaining: 0`, or a message naming the secondary rate limit), no request of that
 * installation is sent until the wait is over: the request that hit the limit is retried by its
 * client (at most twice, as the clients decide), and the installation's other requests, from other
 * scans and commands, wait with it instead of hitting the limit too. Other installations are not
 * held. A wait longer than LONGEST_RATE_LIMIT_WAIT holds nothing: no client retries then, and the
 * requests fail with GitHub's answer at once. At most MAX_CONCURRENT_REQUESTS are in flight.
 */
export class InstallationBudget {
  private resumeAt = 0;
  private readonly inFlight = new ConcurrencyLimit(MAX_CONCURRENT_REQUESTS);

  /** `base`, sent within this budget. */
  fetch(base: typeof fetch): typeof fetch {
    return (input, init) =>
      this.inFlight.schedule(null, async () => {
        for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now()) await sleep(wait, init?.signal ?? undefined);
        const response = await base(input, init);
        const seconds = await rateLimitWait(response);
        if (seconds !== null && seconds <= LONGEST_RATE_LIMIT_WAIT) this.resumeAt = Math.max(this.resumeAt, Date.now() + seconds * 1000);
        return response;
      });
  }
}

/** GitHub's secondary rate limit without a `retry-after`: its documentation says to wait a minute. */
const SECONDARY_LIMIT_WAIT = 60;

/** How long GitHub asks to wait, in seconds, when the answer is a rate limit; null otherwise. */
async function rateLimitWait(response: Response): Promise<number | null> {
  if (response.status !== 403 && response.status !== 429) return null;
  const retryAfter = Number(response.headers.get("retry-after"));
  if (response.headers.get("retry-after") !== null && Number.isFinite(retryAfter)) return Math.max(0, retryAfter);
  if (response.headers.get("x-ratelimit-remaining") === "0") return Math.max(0, Math.ceil(Number(response.headers.get("x-ratelimit-reset")) - Date.now() / 1000) + 1);
  const body = await response.clone().text().catch(() => "");
  return /secondary rate limit/i.test(body) ? SECONDARY_LIMIT_WAIT : null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** The installations this process has talked to lately, each with its budget; bounded, the longest unused forgotten first. */
const MAX_BUDGETS = 10_000;
const budgets = new Map<string, InstallationBudget>();
/** Each installation Octokit's budget, for the requests it hands to others (a scan's API source). */
const budgetOfOctokit = new WeakMap<object, InstallationBudget>();

export function installationBudget(installationId: string | number): InstallationBudget {
  const key = String(installationId);
  const budget = budgets.get(key) ?? new InstallationBudget();
  budgets.delete(key);
  budgets.set(key, budget);
  if (budgets.size > MAX_BUDGETS) budgets.delete(budgets.keys().next().value as string);
  return budget;
}

/**
 * The fetch an installation's Octokit sends with, for a client of its own that must share the
 * installation's budget (the API source of a scan); undefined for an Octokit that is not an
 * installation's, or not the App's.
 */
export function installationFetch(octokit: object): typeof fetch | undefined {
  return budgetOfOctokit.get(octokit)?.fetch(fetchWithTimeout);
}

/**
 * Gives every request its own `request` options, with the timeout, through the installation's
 * budget. Octokit otherwise hands each request the same object, on which plugin-retry counts its
 * retries, so after one failed request every later one waited as if it were a later retry (9 s,
 * then 16 s...). probot names the installation in `auth.installationId` (a webhook's Octokit) or
 * `throttle.id` (one from `probot.auth(id)`).
 */
function ownRequestOptions(octokit: { hook: { before: (name: "request", hook: (options: { request?: { fetch?: typeof fetch } }) => void) => void } }, options: { auth?: { installationId?: unknown }; throttle?: { id?: unknown } }): void {
  const id = String(options.auth?.installationId ?? options.throttle?.id ?? "");
  const budget = /^\d+$/.test(id) ? installationBudget(id) : null;
  if (budget) budgetOfOctokit.set(octokit, budget);
  octokit.hook.before("request", (requestOptions) => {
    const base = requestOptions.request?.fetch ?? fetchWithTimeout;
    requestOptions.request = { ...requestOptions.request, fetch: budget ? budget.fetch(base) : base };
  });
}

/**
 * probot hands the App's authentication a `request` without GHE_HOST's base URL, so a token asked
 * of `octokit.auth()` directly (the scans' git and API sources ask so), when it is not cached yet,
 * was requested from api.github.com; only tokens fetched on the way of a request went to the
 * server that request goes to. The authentication's request gets the Octokit's base URL here.
 */
function authOnBaseUrl(options: Record<string, unknown>): unknown {
  const auth = options.auth as { request?: { defaults?: (defaults: object) => unknown } } | undefined;
  if (typeof options.baseUrl !== "string" || typeof auth?.request?.defaults !== "function") return options.auth;
  return { ...auth, request: auth.request.defaults({ baseUrl: options.baseUrl }) };
}

export const AppOctokit: typeof ProbotOctokit = ProbotOctokit.plugin(ownRequestOptions).defaults((options: Record<string, unknown>) => ({
  ...options,
  auth: authOnBaseUrl(options),
  retry: { doNotRetry: [...DO_NOT_RETRY], retries: SERVER_ERROR_RETRIES, ...(options.retry as object | undefined) },
  // Last, so probot's own handlers (one of which never retries, the other waits however long
  // GitHub asks) do not replace these; `enabled` and the installation's `id` are kept.
  throttle: {
    ...(options.throttle as object | undefined),
    onRateLimit: waitOut("Rate limit"),
    onSecondaryRateLimit: waitOut("Secondary rate limit"),
    // In flight at once is counted per installation, by its budget: one busy installation does not hold the others' requests.
    global: unlimited,
    auth: unlimited,
    write: unlimited,
    notifications: unlimited,
    search: unlimited,
  },
}));
