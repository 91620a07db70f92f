import { defaults, getOctokitOptions, GitHub } from "@actions/github/lib/utils";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { CheckRunAnnotation, CheckRunConclusion, CheckRunOutput } from "../src/report/check-run.js";
import { silentLogger, type Logger } from "../src/telemetry/log.js";
import { Redactor } from "../src/telemetry/redact.js";

/**
 * Every call the Action makes to GitHub goes through here. Each method names the permission it
 * needs, and every failure is translated once, here, into a GitHubError a maintainer can act on.
 */

export type GitHubErrorKind = "permission" | "auth" | "rejected" | "rate_limited" | "unavailable";

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly kind: GitHubErrorKind,
    readonly status: number | null,
    /** The permission the failed call needs, such as `checks: write`. */
    readonly permission: string,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

export interface GitHubClientOptions {
  /** Empty sends requests without credentials, which read public repositories only. */
  token: string;
  owner: string;
  repo: string;
  /** GITHUB_API_URL: github.com, GitHub Enterprise, or a server on loopback in tests. */
  apiUrl: string;
  /** The fetch the requests go through; the runner's proxy-aware fetch by default. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds per second of a retry or rate-limit wait; 1000 except in tests. */
  retryAfterBaseValue?: number;
  /** Whether writes are spaced a second apart as GitHub asks of integrations; tests turn it off. */
  paceWrites?: boolean;
  logger?: Logger;
}

export interface CheckRunCreate {
  name: string;
  headSha: string;
  conclusion: CheckRunConclusion;
  startedAt: string;
  completedAt: string;
  output: CheckRunOutput;
  annotations: CheckRunAnnotation[];
}

export interface CreatedCheckRun {
  id: number;
  url: string | null;
}

const RETRIES = 3;
/** Rate-limit waits longer than this fail the call rather than hold the job. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

const Octokit = GitHub.plugin(retry, throttling);

export class GitHubClient {
  /** HTTP requests sent, retries included. */
  requests = 0;
  private readonly octokit: InstanceType<typeof Octokit>;
  private readonly redactor = new Redactor();

  constructor(private readonly options: GitHubClientOptions) {
    const baseFetch = options.fetch ?? (defaults.request?.fetch as typeof globalThis.fetch | undefined) ?? globalThis.fetch;
    const counted: typeof globalThis.fetch = (input, init) => {
      this.requests++;
      return baseFetch(input, init);
    };
    this.redactor.add(options.token);
    const log = options.logger ?? silentLogger;
    const base = options.retryAfterBaseValue ?? 1000;
    const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < 2 && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      log.warn(`GitHub's ${kind} was hit; ${retrying ? `retrying in ${retryAfter} s` : "giving up"}`, { method: request.method, url: request.url, retryAfter, retrying });
      return retrying;
    };
    this.octokit = new Octokit({
      ...(options.token ? getOctokitOptions(options.token) : {}),
      baseUrl: options.apiUrl.replace(/\/+$/, ""),
      request: { fetch: counted },
      retry: { retries: RETRIES, retryAfterBaseValue: base },
      throttle:
        options.paceWrites === false
          ? { enabled: false }
          : { onRateLimit: onLimit("rate limit"), onSecondaryRateLimit: onLimit("secondary rate limit"), retryAfterBaseValue: base },
      log: { debug: (m: string) => log.debug(m), info: (m: string) => log.debug(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
    });
  }

  /** Creates a completed check run with its first annotations. Needs `checks: write`. */
  async createCheckRun(run: CheckRunCreate): Promise<CreatedCheckRun> {
    try {
      const { data } = await this.octokit.rest.checks.create({
        owner: this.options.owner,
        repo: this.options.repo,
        name: run.name,
        head_sha: run.headSha,
        status: "completed",
        conclusion: run.conclusion,
        started_at: run.startedAt,
        completed_at: run.completedAt,
        output: { ...run.output, annotations: run.annotations },
      });
      return { id: data.id, url: data.html_url ?? null };
    } catch (error) {
      throw this.translate(error, "create the check run", "checks: write");
    }
  }

  /** Adds annotations to a check run; GitHub appends them to those it has. Needs `checks: write`. */
  async addAnnotations(id: number, output: CheckRunOutput, annotations: CheckRunAnnotation[]): Promise<void> {
    try {
      await this.octokit.rest.checks.update({
        owner: this.options.owner,
        repo: this.options.repo,
        check_run_id: id,
        output: { ...output, annotations },
      });
    } catch (error) {
      throw this.translate(error, "add annotations to the check run", "checks: write");
    }
  }

  /**
   * A file's bytes at a commit, or null when the commit has no such file. Needs `contents: read`.
   * A 404 is also what GitHub answers a token that cannot see the repository; reading the files
   * to scan fails then too, with the clearer message.
   */
  async readFile(path: string, ref: string): Promise<Buffer | null> {
    try {
      const response = await this.octokit.rest.repos.getContent({ owner: this.options.owner, repo: this.options.repo, path, ref, mediaType: { format: "raw" } });
      // The raw format answers a file with its bytes (text or binary, by the content type it sends) and a folder with a JSON listing.
      const data: unknown = response.data;
      if (typeof data === "string") return Buffer.from(data, "utf8");
      if (data instanceof ArrayBuffer) return Buffer.from(data);
      throw new GitHubError(`${path} at ${ref.slice(0, 7)} in ${this.options.owner}/${this.options.repo} is a folder, not a file.`, "rejected", null, "contents: read");
    } catch (error) {
      if (error instanceof GitHubError) throw error;
      if ((error as { status?: unknown }).status === 404) return null;
      throw this.translate(error, `read ${path}`, "contents: read");
    }
  }

  private translate(error: unknown, action: string, permission: string): GitHubError {
    const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : null;
    const data = (error as { response?: { data?: unknown } }).response?.data;
    const apiMessage = describeResponse(data) ?? (error instanceof Error ? error.message : String(error));
    const repo = `${this.options.owner}/${this.options.repo}`;
    const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
    const rateLimited = status === 429 || (status === 403 && (headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(apiMessage)));
    let message: string;
    let kind: GitHubErrorKind;
    if (rateLimited) {
      kind = "rate_limited";
      message = `GitHub's rate limit stopped skilldex from being able to ${action} in ${repo}: ${apiMessage}`;
    } else if (status === 401) {
      kind = "auth";
      message = `GitHub did not accept the github-token input (401: ${apiMessage}): it is missing, expired or revoked.`;
    } else if (status === 403 || status === 404) {
      kind = "permission";
      message = `GitHub refused to let skilldex ${action} in ${repo} (${status}: ${apiMessage}): the token needs the \`${permission}\` permission.`;
    } else if (status !== null && status >= 400 && status < 500) {
      kind = "rejected";
      message = `GitHub rejected the request to ${action} in ${repo} (${status}: ${apiMessage}).`;
    } else {
      kind = "unavailable";
      message = `GitHub did not answer the request to ${action} in ${repo} after ${RETRIES} retries (${status ?? "no status"}: ${apiMessage}).`;
    }
    // The token never leaves this module, not even inside an error text that echoes a request.
    return new GitHubError(this.redactor.redact(message), kind, status, permission);
  }
}

function describeResponse(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  if (typeof message !== "string") return null;
  const details = Array.isArray(errors)
    ? errors.map((e) => (typeof e === "string" ? e : typeof e === "object" && e !== null && "message" in e ? String(e.message) : JSON.stringify(e))).filter(Boolean)
    : [];
  return details.length > 0 ? `${message}: ${details.join("; ")}` : message;
}
