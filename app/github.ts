import type { Context } from "probot";

/**
 * Every GitHub call the app makes, each with the installation permission it needs. Failures are
 * translated here, once, into a GitHubError whose message a maintainer can act on.
 */

type Octokit = Context["octokit"];

export type GitHubErrorKind =
  /** The blob sha or the branch moved since it was read: read again and retry. */
  | "conflict"
  /** Branch protection or a ruleset refused a direct commit. */
  | "protected"
  | "not_found"
  /** The branch or pull request to create is already there. */
  | "exists"
  | "forbidden"
  /** No HTTP answer at all: refused, unresolvable, timed out, cut. */
  | "unreachable"
  | "failed";

export class GitHubError extends Error {
  constructor(
    readonly kind: GitHubErrorKind,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

export type Reaction = "eyes" | "rocket" | "confused";

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** False for a fork, including one that has since been deleted. */
  sameRepository: boolean;
}

export interface Permission {
  /** Push, maintain or admin. */
  canWrite: boolean;
  /** The role as GitHub names it (`triage`, `read`, `maintain`...), for the answer. */
  role: string;
}

export interface FileAtRef {
  text: string;
  sha: string;
}

export interface BlobInfo {
  sha: string;
  /** In bytes. */
  size: number;
}

export interface Commit {
  sha: string;
  url: string;
}

export interface PullRequestLink {
  number: number;
  url: string;
}

export class GitHubRepo {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
  ) {}

  /** issues: write (reactions on pull-request comments count as issue comments). */
  async addReaction(commentId: number, content: Reaction): Promise<void> {
    try {
      await this.octokit.rest.reactions.createForIssueComment({ owner: this.owner, repo: this.repo, comment_id: commentId, content });
    } catch (error) {
      throw translate(error, "react to the comment", "issues: write");
    }
  }

  /** issues: write. The new comment's id. */
  async postComment(issueNumber: number, body: string): Promise<number> {
    try {
      const { data } = await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issueNumber, body });
      return data.id;
    } catch (error) {
      throw translate(error, "answer on the conversation", "issues: write");
    }
  }

  /** issues: write. */
  async deleteComment(commentId: number): Promise<void> {
    try {
      await this.octokit.rest.issues.deleteComment({ owner: this.owner, repo: this.repo, comment_id: commentId });
    } catch (error) {
      throw translate(error, "delete a duplicate answer", "issues: write");
    }
  }

  /**
   * issues: read (included in issues: write). The ids, oldest first, of this app's comments on the
   * conversation updated since `since` whose body holds `marker`. One page of 100, from one
   * request: an answer follows its command within seconds, so it is among the first comments after it.
   */
  async findComments(issueNumber: number, since: string, marker: string, appId: number): Promise<number[]> {
    try {
      const { data } = await this.octokit.rest.issues.listComments({ owner: this.owner, repo: this.repo, issue_number: issueNumber, since, per_page: 100 });
      // Only the app's own comment counts: a person or another bot quoting the marker must not silence it.
      return data
        .filter((comment) => comment.performed_via_github_app?.id === appId && (comment.body ?? "").includes(marker))
        .map((comment) => comment.id)
        .sort((a, b) => a - b);
    } catch (error) {
      throw translate(error, "look for an earlier answer", "issues: read");
    }
  }

  /**
   * metadata: read. Reads `user.permissions`, because `permission` folds maintain into write and
   * triage into read, and author_association misreads private organisation members.
   */
  async getPermission(username: string): Promise<Permission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.repo, username });
      const flags = data.user?.permissions;
      const canWrite = flags ? Boolean(flags.push || flags.maintain || flags.admin) : data.permission === "write" || data.permission === "admin";
      return { canWrite, role: data.role_name || data.permission };
    } catch (error) {
      const translated = translate(error, `look up the access of @${username}`, "metadata: read");
      if (translated.kind === "not_found") return { canWrite: false, role: "no" };
      throw translated;
    }
  }

  /** pull_requests: read. */
  async getPullRequest(number: number): Promise<PullRequestInfo> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number });
      const headRepo = data.head.repo?.full_name ?? null;
      return {
        number,
        headSha: data.head.sha,
        headRef: data.head.ref,
        baseRef: data.base.ref,
        sameRepository: headRepo !== null && headRepo.toLowerCase() === data.base.repo.full_name.toLowerCase(),
      };
    } catch (error) {
      throw translate(error, `read pull request #${number}`, "pull_requests: read");
    }
  }

  /** contents: read. Every file of a commit, with its blob's sha and size, from one recursive tree listing. */
  async listFiles(ref: string): Promise<{ files: string[]; blobs: Map<string, BlobInfo>; truncated: boolean }> {
    try {
      const { data } = await this.octokit.rest.git.getTree({ owner: this.owner, repo: this.repo, tree_sha: ref, recursive: "true" });
      const blobs = new Map<string, BlobInfo>();
      for (const entry of data.tree) {
        if (entry.type === "blob" && typeof entry.path === "string" && typeof entry.sha === "string") blobs.set(entry.path, { sha: entry.sha, size: entry.size ?? 0 });
      }
      return { files: [...blobs.keys()], blobs, truncated: data.truncated };
    } catch (error) {
      throw translate(error, `list the files of ${ref}`, "contents: read");
    }
  }

  /** contents: read. The bytes of one blob, by the sha a tree listing gave, so they are the listed commit's. */
  async readBlob(path: string, sha: string): Promise<Uint8Array> {
    try {
      const { data } = await this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: sha });
      return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
    } catch (error) {
      throw translate(error, `read ${path}`, "contents: read");
    }
  }

  /** contents: read. Null when the file does not exist at that ref. */
  async readFile(path: string, ref: string): Promise<FileAtRef | null> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path, ref });
      if (Array.isArray(data) || data.type !== "file") throw new GitHubError("failed", null, `could not read ${path} at ${ref}: it is not a file`);
      if (data.encoding === "base64") return { text: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
      // Files over 1 MB come without content; the blob endpoint serves them.
      const blob = await this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: data.sha });
      return { text: Buffer.from(blob.data.content, "base64").toString("utf8"), sha: data.sha };
    } catch (error) {
      if (error instanceof GitHubError) throw error;
      const translated = translate(error, `read ${path} at ${ref}`, "contents: read");
      if (translated.kind === "not_found") return null;
      throw translated;
    }
  }

  /**
   * contents: write. Sends the blob sha that was read (none for a new file), so GitHub refuses
   * the write when anyone changed the file or the branch in between.
   */
  async writeFile(options: { path: string; branch: string; text: string; sha: string | null; message: string }): Promise<Commit> {
    try {
      const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
        owner: this.owner,
        repo: this.repo,
        path: options.path,
        branch: options.branch,
        message: options.message,
        content: Buffer.from(options.text, "utf8").toString("base64"),
        ...(options.sha === null ? {} : { sha: options.sha }),
      });
      return { sha: data.commit.sha ?? "", url: data.commit.html_url ?? "" };
    } catch (error) {
      throw translateWrite(error, options.path, options.branch);
    }
  }

  /** contents: read. The commit a branch points at. */
  async getBranchHead(branch: string): Promise<string> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      throw translate(error, `read the branch ${branch}`, "contents: read");
    }
  }

  /** contents: write. Kind `exists` when the branch is already there. */
  async createBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) throw new GitHubError("exists", 422, `the branch ${branch} already exists`);
      throw translate(error, `create the branch ${branch}`, "contents: write");
    }
  }

  /** contents: write. Removes a branch the app made, such as the one of a fallback that failed. */
  async deleteBranch(branch: string): Promise<void> {
    try {
      await this.octokit.rest.git.deleteRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}` });
    } catch (error) {
      throw translate(error, `delete the branch ${branch}`, "contents: write");
    }
  }

  /** pull_requests: read. An open pull request from a branch of this repository, if any. */
  async findPullRequest(branch: string, base: string): Promise<PullRequestLink | null> {
    try {
      const { data } = await this.octokit.rest.pulls.list({ owner: this.owner, repo: this.repo, head: `${this.owner}:${branch}`, base, state: "open", per_page: 1 });
      const pull = data[0];
      return pull ? { number: pull.number, url: pull.html_url } : null;
    } catch (error) {
      throw translate(error, `look for a pull request from ${branch}`, "pull_requests: read");
    }
  }

  /** pull_requests: write. */
  async createPullRequest(options: { branch: string; base: string; title: string; body: string }): Promise<PullRequestLink> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ owner: this.owner, repo: this.repo, head: options.branch, base: options.base, title: options.title, body: options.body });
      return { number: data.number, url: data.html_url };
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) throw new GitHubError("exists", 422, `a pull request from ${options.branch} already exists`);
      throw translate(error, `open a pull request against ${options.base}`, "pull_requests: write");
    }
  }
}

/** What a refused write means: someone else wrote first, or the branch does not take direct commits. */
function translateWrite(error: unknown, path: string, branch: string): GitHubError {
  const status = statusOf(error);
  const message = messageOf(error);
  const protectedBranch = /protected branch|through a pull request|rule violation|required status check|about-protected-branches/i;
  if ((status === 409 || status === 422 || status === 403) && protectedBranch.test(`${message} ${documentationOf(error)}`)) {
    return new GitHubError("protected", status, `the branch ${branch} does not accept direct commits (${message || "protected"})`);
  }
  // 409: the blob sha no longer matches; 422: the branch moved under the write, or the file appeared.
  if (status === 409) return new GitHubError("conflict", status, `${path} changed on ${branch} while it was being edited`);
  if (status === 422 && /does not match|but expected|"?sha"? wasn't supplied|reference update failed|fast.forward|reference cannot be updated/i.test(message)) {
    return new GitHubError("conflict", status, `${branch} moved while ${path} was being edited`);
  }
  return translate(error, `commit ${path} to ${branch}`, "contents: write");
}

function translate(error: unknown, action: string, permission: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  const message = messageOf(error);
  const host = hostOf(error);
  const unanswered = unansweredRequest(error, host);
  if (unanswered !== null) return new GitHubError("unreachable", null, `could not ${action}: ${unanswered}`);
  if (status === null) return new GitHubError("failed", null, `could not ${action}: ${message || "unknown error"}`);
  if (status === 401) return new GitHubError("forbidden", status, `could not ${action}: GitHub refused the app's credentials; check APP_ID and the private key`);
  if ((status === 403 || status === 429) && /rate limit/i.test(message)) {
    return new GitHubError("failed", status, `could not ${action}: GitHub's rate limit was reached; try again in a few minutes`);
  }
  if (status === 403 || (status === 404 && /not accessible by integration/i.test(message))) {
    return new GitHubError("forbidden", status, `could not ${action}: the app needs the \`${permission}\` permission on this repository (${message || "forbidden"}); an owner can grant it in the app's installation settings`);
  }
  if (status === 404) return new GitHubError("not_found", status, `could not ${action}: not found`);
  if (status >= 500) return new GitHubError("failed", status, `could not ${action}: ${host ?? "GitHub"} answered ${status}; try the command again`);
  return new GitHubError("failed", status, `could not ${action}: ${message || `${host ?? "GitHub"} answered ${status}`}`);
}

/**
 * What went wrong with a request that got no HTTP answer, naming the host; null when it got one.
 * Octokit reports such a request as status 500 with fetch's error as its cause, so the status
 * alone would say GitHub answered 500 when nothing answered at all.
 */
export function unansweredRequest(error: unknown, host: string | null): string | null {
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

function hostName(host: string): string {
  return host.replace(/:\d+$/, "");
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const fromData = data && typeof data === "object" ? (data as { message?: unknown }).message : undefined;
  const text = typeof fromData === "string" ? fromData : error instanceof Error ? error.message : String(error);
  // GitHub's messages can span lines; the answer shows them inline.
  return text.replace(/\s+/g, " ").trim();
}

function documentationOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const url = data && typeof data === "object" ? (data as { documentation_url?: unknown }).documentation_url : undefined;
  return typeof url === "string" ? url : "";
}
