import { redact } from "../telemetry/redact.js";

/**
 * Every GitHub REST call skilldex's core makes goes through here: one place that adds the token,
 * counts calls and bytes, retries what is worth retrying and turns failures into plain messages.
 */
export interface GitHubRestOptions {
  /** Sent only in the Authorization header; anonymous when absent. */
  token?: string | null;
  /** `GITHUB_API_URL` when set, else https://api.github.com. */
  baseUrl?: string | null;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Further attempts after a 5xx, a 429 or a secondary rate limit; 3 by default. */
  retries?: number;
  /** The first backoff in milliseconds, doubled on each retry; 500 by default. */
  retryDelayMs?: number;
  /** The longest wait a Retry-After header may impose before skilldex gives up instead; 60 s. */
  maxRetryAfterMs?: number;
}

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "GitHubApiError";
  }
}

export const DEFAULT_API_URL = "https://api.github.com";

export class GitHubRest {
  /** Requests sent, retries included: the figure rate limits are counted in. */
  calls = 0;
  /** Response body bytes received. */
  bytes = 0;
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryAfterMs: number;

  constructor(options: GitHubRestOptions = {}) {
    this.baseUrl = (options.baseUrl || process.env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");
    this.token = options.token || null;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /** A JSON resource. Needs whatever read permission the resource needs (contents: read for git data). */
  async getJson<T>(path: string): Promise<T> {
    const body = await this.request(path, "application/vnd.github+json");
    try {
      return JSON.parse(new TextDecoder().decode(body)) as T;
    } catch {
      throw new GitHubApiError(`GET ${path}: the API answered with something that is not JSON`, null);
    }
  }

  /** A resource's raw bytes, as the `application/vnd.github.raw+json` media type gives them. */
  async getRaw(path: string): Promise<Uint8Array> {
    return this.request(path, "application/vnd.github.raw+json");
  }

  /** A GraphQL query; the endpoint sits beside the REST root (`/api/graphql` on GitHub Enterprise Server). */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const url = /\/api\/v3$/.test(this.baseUrl) ? this.baseUrl.replace(/\/v3$/, "/graphql") : `${this.baseUrl}/graphql`;
    const body = await this.request(url, "application/json", JSON.stringify({ query, variables }));
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { data?: T; errors?: { message: string }[] };
    if (parsed.errors?.length) throw new GitHubApiError(`GraphQL: ${this.scrub(parsed.errors.map((e) => e.message).join("; "))}`, 200);
    return parsed.data as T;
  }

  private async request(pathOrUrl: string, accept: string, body?: string): Promise<Uint8Array> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const shown = pathOrUrl.startsWith("/") ? pathOrUrl : "/graphql";
    const method = body === undefined ? "GET" : "POST";
    const headers: Record<string, string> = { accept, "user-agent": "skilldex", "x-github-api-version": "2022-11-28" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      this.calls++;
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method, headers, body });
      } catch (error) {
        if (attempt < this.retries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new GitHubApiError(`${method} ${shown}: cannot reach ${new URL(url).host} (${this.scrub(describeCause(error))})`, null);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.bytes += bytes.length;
      if (response.ok) return bytes;
      const text = new TextDecoder().decode(bytes.subarray(0, 2000));
      const wait = this.retryWait(response, text, attempt);
      if (wait !== null) {
        await sleep(wait);
        continue;
      }
      throw new GitHubApiError(`${method} ${shown}: ${this.explain(response, text)}`, response.status);
    }
  }

  /** How long to wait before retrying, or null when the failure is final. */
  private retryWait(response: Response, text: string, attempt: number): number | null {
    if (attempt >= this.retries) return null;
    const retryAfter = Number(response.headers.get("retry-after"));
    const limited = response.status === 429 || (response.status === 403 && (/secondary rate limit/i.test(text) || response.headers.has("retry-after")));
    if (response.status >= 500 || limited) {
      if (Number.isFinite(retryAfter) && retryAfter > 0) {
        const ms = retryAfter * 1000;
        return ms <= this.maxRetryAfterMs ? ms : null;
      }
      return this.backoff(attempt);
    }
    return null;
  }

  private backoff(attempt: number): number {
    return this.retryDelayMs * 2 ** attempt;
  }

  private explain(response: Response, text: string): string {
    let message: string;
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? "");
    } catch {
      message = "";
    }
    const status = `HTTP ${response.status}`;
    if (response.status === 401) return `${status}, the token was refused (expired or wrong?)`;
    if (response.status === 404) return `${status}, not found (or the token cannot see it: it needs contents: read)`;
    if (response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0") {
      const reset = Number(response.headers.get("x-ratelimit-reset"));
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
      return `${status}, the API rate limit is used up${when}${this.token ? "" : " (anonymous calls get 60 an hour: set GITHUB_TOKEN)"}`;
    }
    return `${status}${message ? `, ${this.scrub(message)}` : ""}`;
  }

  private scrub(text: string): string {
    return this.token ? redact(text, [this.token]) : text;
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
