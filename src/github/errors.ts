import { redact } from "../telemetry/redact.js";

/**
 * The one error of every GitHub call, and the one translation of a failure into what a person can
 * act on: which host did not answer, which permission the token or the app lacks, when the rate
 * limit resets. A refused socket is never reported as "GitHub answered 500".
 */

export type GitHubErrorKind =
  /** No HTTP answer at all: refused, unresolvable, timed out, cut. */
  | "unreachable"
  /** 401: the credentials were refused. */
  | "auth"
  | "rate_limited"
  /** 403, or 404 "not accessible by integration": the credentials lack a permission. */
  | "permission"
  | "not_found"
  /** Another 4xx: GitHub refused the request as sent. */
  | "rejected"
  /** A 5xx, after the retries. */
  | "unavailable"
  /** The blob sha or the branch moved since it was read: read again and retry. */
  | "conflict"
  /** Branch protection or a ruleset refused a direct commit. */
  | "protected"
  /** The branch or pull request to create is already there. */
  | "exists"
  | "failed";

export class GitHubError extends Error {
  constructor(
    readonly kind: GitHubErrorKind,
    readonly status: number | null,
    message: string,
    /** The permission the failed call needs, such as `checks: write`. */
    readonly permission: string | null = null,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

/** What a failed call was doing, in the words its message uses. */
export interface GitHubCall {
  /** What skilldex was doing, after "could not": `read pull request #42`, `create the check run`. */
  action: string;
  /** The permission the call needs, such as `contents: read`. */
  permission: string;
  /** owner/name. */
  repo: string;
  /**
   * Whose credentials made the call: a token (the Action, the CLI) or the GitHub App, which
   * names what an owner grants in the installation settings.
   */
  credentials: "token" | "app";
  /** Strings never to show, such as the token, should GitHub echo them. */
  secrets?: readonly (string | null | undefined)[];
  /** True when the call went without credentials, which see public repositories only. */
  anonymous?: boolean;
}

/** The one translation of a failed request into a GitHubError. */
export function translateGitHubError(error: unknown, call: GitHubCall): GitHubError {
  if (error instanceof GitHubError) return error;
  const kind = kindOf(error);
  const status = statusOf(error);
  const message = describe(error, kind, status, call);
  return new GitHubError(kind, status, redact(message, call.secrets ?? []), call.permission);
}

/** Which way a request failed, from its status, headers and GitHub's message. */
function kindOf(error: unknown): GitHubErrorKind {
  if (unansweredRequest(error, null) !== null) return "unreachable";
  const status = statusOf(error);
  const message = messageOf(error);
  if (status === null) return "failed";
  if (status === 401) return "auth";
  if (status === 429 || (status === 403 && (headerOf(error, "x-ratelimit-remaining") === "0" || /rate limit/i.test(message)))) return "rate_limited";
  if (status === 403 || (status === 404 && /not accessible by integration/i.test(message))) return "permission";
  if (status === 404) return "not_found";
  if (status >= 500) return "unavailable";
  if (status >= 400) return "rejected";
  return "failed";
}

function describe(error: unknown, kind: GitHubErrorKind, status: number | null, call: GitHubCall): string {
  const host = hostOf(error) ?? "GitHub";
  const said = messageOf(error);
  const app = call.credentials === "app";
  const lead = app ? `could not ${call.action}` : `could not ${call.action} in ${call.repo}`;
  switch (kind) {
    case "unreachable":
      return `${lead}: ${unansweredRequest(error, hostOf(error))}`;
    case "auth":
      return app
        ? `${lead}: GitHub refused the app's credentials; check APP_ID and the private key`
        : `GitHub did not accept the token when skilldex tried to ${call.action} in ${call.repo} (401: ${said}): it is missing, expired or revoked.`;
    case "rate_limited": {
      const reset = resetOf(error);
      const anonymous = !app && headerOf(error, "x-ratelimit-limit") === "60" ? " (anonymous requests get 60 an hour: set a token)" : "";
      return app
        ? `${lead}: GitHub's rate limit was reached; ${reset ? `it resets at ${reset}, try again then` : "try again in a few minutes"}`
        : `GitHub's rate limit stopped skilldex from being able to ${call.action} in ${call.repo}${reset ? `; it resets at ${reset}` : ""}${anonymous}: ${said}`;
    }
    case "permission":
      return app
        ? `${lead}: the app needs the \`${call.permission}\` permission on this repository (${said || "forbidden"}); an owner can grant it in the app's installation settings`
        : `GitHub refused to let skilldex ${call.action} in ${call.repo} (${status}: ${said}): the token needs the \`${call.permission}\` permission.`;
    case "not_found": {
      if (app) return `${lead}: not found`;
      const request = requestOf(error);
      const what = request === null || request.endsWith(`/repos/${call.repo}`) ? `${call.repo} does not exist` : `it is not in ${call.repo}`;
      const who = call.anonymous ? `a request without a token cannot see ${call.repo} (set a token with \`${call.permission}\`)` : `the token cannot read ${call.repo} (it needs \`${call.permission}\`)`;
      return `${request ?? lead}: HTTP 404, not found: GitHub answered 404, so ${what} or ${who}`;
    }
    case "unavailable":
      return app ? `${lead}: ${host} answered ${status}; try the command again` : `${lead}: ${host} answered ${status}, also when asked again; try again later`;
    case "rejected":
      return app ? `${lead}: ${said || `${host} answered ${status}`}` : `GitHub rejected the request to ${call.action} in ${call.repo} (${status}: ${said}).`;
    default:
      return `${lead}: ${said || "unknown error"}`;
  }
}

/**
 * What went wrong with a request that got no HTTP answer, naming the host; null when it got one.
 * Octokit reports such a request as status 500 with fetch's error as its cause, so the status
 * alone would say GitHub answered 500 when nothing answered at all.
 */
function unansweredRequest(error: unknown, host: string | null): string | null {
  const where = host ?? "GitHub";
  if ((error as { response?: unknown } | null)?.response !== undefined) return null;
  const causes: { code?: unknown; name?: unknown; message?: unknown }[] = [];
  for (let cause = error as { cause?: unknown } | null; cause && typeof cause === "object" && causes.length < 5; cause = cause.cause as { cause?: unknown } | null) {
    causes.push(cause as { code?: unknown; name?: unknown });
  }
  const codes = new Set(causes.flatMap((c) => [c.code, c.name]).filter((c): c is string => typeof c === "string"));
  const has = (...names: string[]) => names.some((name) => codes.has(name));
  if (has("ECONNREFUSED")) return `connection refused to ${where}`;
  if (has("ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL")) return `the name ${host === null ? "of GitHub's host" : hostName(host)} could not be resolved (DNS)`;
  if (has("TimeoutError", "AbortError", "ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT")) return `timed out waiting for ${where}`;
  if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED")) return `the connection to ${where} was cut before it answered`;
  if (has("EHOSTUNREACH", "ENETUNREACH", "ENETDOWN")) return `no network route to ${where}`;
  if (has("CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID", "SELF_SIGNED_CERT_IN_CHAIN")) {
    return `the TLS certificate of ${where} was refused`;
  }
  const fetchFailed = causes.some((c) => c.name === "TypeError" && c.message === "fetch failed");
  if (!fetchFailed) return null;
  const code = [...codes].find((c) => /^[A-Z_]+$/.test(c));
  return `could not connect to ${where}${code ? ` (${code})` : ""}`;
}

/** `host:port` of the request, never its path or headers (where a token could be). */
function hostOf(error: unknown): string | null {
  const url = (error as { request?: { url?: unknown } } | null)?.request?.url;
  if (typeof url !== "string") return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** `GET /repos/acme/lib`: the method and path of the request, without its query or host. */
function requestOf(error: unknown): string | null {
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (typeof request?.url !== "string" || typeof request.method !== "string") return null;
  try {
    return `${request.method} ${decodeURIComponent(new URL(request.url).pathname.replace(/^\/api\/v3(?=\/)/, ""))}`;
  } catch {
    return null;
  }
}

function hostName(host: string): string {
  return host.replace(/:\d+$/, "");
}

/** When a used-up rate limit resets, from x-ratelimit-reset, as an ISO time. */
function resetOf(error: unknown): string | null {
  const reset = Number(headerOf(error, "x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : null;
}

function headerOf(error: unknown, name: string): string | undefined {
  const value = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

export function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/** GitHub's message, with the details of a validation failure; on one line. */
export function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  let text: string;
  if (data && typeof data === "object" && typeof (data as { message?: unknown }).message === "string") {
    const { message, errors } = data as { message: string; errors?: unknown };
    const details = Array.isArray(errors)
      ? errors.map((e) => (typeof e === "string" ? e : typeof e === "object" && e !== null && "message" in e ? String(e.message) : JSON.stringify(e))).filter(Boolean)
      : [];
    text = details.length > 0 ? `${message}: ${details.join("; ")}` : message;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  // GitHub's messages can span lines; answers and logs show them inline.
  return text.replace(/\s+/g, " ").trim();
}

export function documentationOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const url = data && typeof data === "object" ? (data as { documentation_url?: unknown }).documentation_url : undefined;
  return typeof url === "string" ? url : "";
}
