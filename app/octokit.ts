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
 */

/** Statuses the HTTP layer never retries: plugin-retry's own list, plus 409. */
export const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451] as const;

/** Retries of a 5xx or of a request that got no answer. */
export const SERVER_ERROR_RETRIES = 1;


/** GitHub's own advice: no more than 100 concurrent requests. */
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
const requests = new ConcurrencyLimit(MAX_CONCURRENT_REQUESTS);

/** fetch, abandoned after REQUEST_TIMEOUT_MS (a TimeoutError, which the app reports as a timeout). */
const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return fetch(input, { ...init, signal });
};

/**
 * Gives every request its own `request` options, with the timeout. Octokit otherwise hands each
 * request the same object, on which plugin-retry counts its retries, so after one failed request
 * every later one waited as if it were a later retry (9 s, then 16 s...).
 */
function ownRequestOptions(octokit: { hook: { before: (name: "request", hook: (options: { request?: object }) => void) => void } }): void {
  octokit.hook.before("request", (options) => {
    options.request = { fetch: fetchWithTimeout, ...options.request };
  });
}

export const AppOctokit: typeof ProbotOctokit = ProbotOctokit.plugin(ownRequestOptions).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { doNotRetry: [...DO_NOT_RETRY], retries: SERVER_ERROR_RETRIES, ...(options.retry as object | undefined) },
  // Last, so probot's own handlers (one of which never retries, the other waits however long
  // GitHub asks) do not replace these; `enabled` and the installation's `id` are kept.
  throttle: {
    ...(options.throttle as object | undefined),
    onRateLimit: waitOut("Rate limit"),
    onSecondaryRateLimit: waitOut("Secondary rate limit"),
    global: requests,
    auth: unlimited,
    write: unlimited,
    notifications: unlimited,
    search: unlimited,
  },
}));
