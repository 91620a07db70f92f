import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { checkRequest } from "../helpers/openapi.js";

/**
 * A small in-memory GitHub holding one repository: the endpoints the app calls, with the checks
 * that matter (the contents API refuses a stale blob sha, protected branches refuse commits,
 * titles and bodies past GitHub's limits are refused, every request is checked against GitHub's
 * OpenAPI description), so tests can assert what a maintainer would see: the file committed, the
 * pull request, the reply. Served through nock, or over HTTP on 127.0.0.1 (optionally late).
 */

export const INSTALLATION_TOKEN = "ghs_fakeInstallationToken0123456789";

export interface FakeCommit {
  sha: string;
  parent: string | null;
  message: string;
  files: Map<string, string>;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string; sha: string; repo: { full_name: string } };
  html_url: string;
  state: "open" | "closed";
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  /** The GitHub App whose installation token posted the comment, as GitHub reports it. */
  performed_via_github_app: { id: number; slug: string } | null;
  created_at: string;
  updated_at: string;
}

/** Comments the app posts come from its bot account, as installation tokens' comments do. */
export const APP_BOT = { login: "skilldex[bot]", type: "Bot" } as const;
/** The app the tests run as (APP_ID 123). */
export const THE_APP = { id: 123, slug: "skilldex" } as const;

export interface FakeResponse {
  status: number;
  body?: unknown;
}

type WriteHook = (write: { branch: string; path: string }) => FakeResponse | void;

export class FakeGitHub {
  readonly fullName: string;
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  readonly protectedBranches = new Set<string>();
  readonly permissions = new Map<string, { permission: string; role_name: string }>();
  readonly pulls = new Map<number, FakePull>();
  readonly comments: FakeComment[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly requests: { method: string; path: string }[] = [];
  /** Runs before each contents write: lets a test land someone else's commit in the race window. */
  beforeWrite: WriteHook | null = null;
  /** Runs before a pull request is created: lets a test refuse it. */
  beforePull: (() => FakeResponse | void) | null = null;
  /** Requests GitHub's description does not allow, and why. */
  readonly invalid: string[] = [];
  /**
   * A writer outside the app: before this fraction of contents writes, it edits the same file on
   * the same branch first, so the write's blob sha is stale and GitHub refuses it.
   */
  outsideWriter: { fraction: number; random: () => number } | null = null;
  /** Commits the outside writer made. */
  outsideCommits = 0;
  private counter = 0;
  /** Every blob any commit holds, by sha. */
  private readonly blobs = new Map<string, string>();
  private lastCommentId = 9000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    files: Record<string, string>,
  ) {
    this.fullName = `${owner}/${repo}`;
    const root = this.newCommit(null, "initial commit", new Map(Object.entries(files)));
    this.branches.set(defaultBranch, root.sha);
  }

  /** Another person's commit on a branch (created from the default branch when it is new). */
  commit(branch: string, changes: Record<string, string | null>, message = "a commit"): FakeCommit {
    const parentSha = this.branches.get(branch) ?? (this.branches.get(this.defaultBranch) as string);
    const files = new Map((this.commits.get(parentSha) as FakeCommit).files);
    for (const [path, text] of Object.entries(changes)) {
      if (text === null) files.delete(path);
      else files.set(path, text);
    }
    const commit = this.newCommit(parentSha, message, files);
    this.branches.set(branch, commit.sha);
    return commit;
  }

  /** A pull request whose head is a branch here, or (fork) a commit reachable only through the pull request. */
  openPull(number: number, options: { head: string; base?: string; fork?: boolean; changes?: Record<string, string | null> }): FakePull {
    const base = options.base ?? this.defaultBranch;
    let headSha: string;
    if (options.fork) {
      const parent = this.commits.get(this.branches.get(base) as string) as FakeCommit;
      const files = new Map(parent.files);
      for (const [path, text] of Object.entries(options.changes ?? {})) {
        if (text === null) files.delete(path);
        else files.set(path, text);
      }
      headSha = this.newCommit(parent.sha, "fork commit", files).sha;
    } else {
      headSha = this.commit(options.head, options.changes ?? {}, "feature commit").sha;
    }
    const pull: FakePull = {
      number,
      title: `pull request ${number}`,
      body: "",
      head: { ref: options.head, sha: headSha, repo: { full_name: options.fork ? `contributor/${this.repo}` : this.fullName } },
      base: { ref: base, sha: this.branches.get(base) as string, repo: { full_name: this.fullName } },
      html_url: `https://github.com/${this.fullName}/pull/${number}`,
      state: "open",
    };
    this.pulls.set(number, pull);
    return pull;
  }

  /** Gives a user a repository role: read, triage, write, maintain or admin. */
  grant(login: string, role: "read" | "triage" | "write" | "maintain" | "admin"): void {
    const permission = role === "triage" ? "read" : role === "maintain" ? "write" : role;
    this.permissions.set(login.toLowerCase(), { permission, role_name: role });
  }

  file(branch: string, path: string): string | null {
    const sha = this.branches.get(branch);
    return sha ? ((this.commits.get(sha) as FakeCommit).files.get(path) ?? null) : null;
  }

  /** Commits on a branch, newest first, back to the root. */
  history(branch: string): FakeCommit[] {
    const out: FakeCommit[] = [];
    for (let sha = this.branches.get(branch) ?? null; sha !== null; ) {
      const commit = this.commits.get(sha) as FakeCommit;
      out.push(commit);
      sha = commit.parent;
    }
    return out;
  }

  /** Pull requests the app opened. */
  openedPulls(): FakePull[] {
    return [...this.pulls.values()].filter((p) => p.head.ref.startsWith("skilldex/"));
  }

  /** Comments on a conversation, the app's answers and anyone else's, oldest first. */
  replies(issue: number): string[] {
    return this.comments.filter((c) => c.issue === issue).map((c) => c.body);
  }

  /** Someone's comment on a conversation, as if posted on GitHub now. */
  addComment(issue: number, body: string, user: FakeComment["user"] = { login: "someone", type: "User" }, app: FakeComment["performed_via_github_app"] = null): FakeComment {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const comment: FakeComment = { id: ++this.lastCommentId, issue, body, user, performed_via_github_app: app, created_at: now, updated_at: now };
    this.comments.push(comment);
    return comment;
  }

  reactionsOn(commentId: number): string[] {
    return this.reactions.filter((r) => r.commentId === commentId).map((r) => r.content);
  }

  handle(method: string, url: string, body: unknown): FakeResponse {
    const parsed = new URL(url, "http://fake");
    const path = decodeURIComponent(parsed.pathname.replace(/^\/api\/v3/, ""));
    this.requests.push({ method, path });
    const input = (typeof body === "string" && body !== "" ? JSON.parse(body) : (body ?? {})) as Record<string, unknown>;
    const sent = typeof body === "string" ? (body === "" ? undefined : input) : (body ?? undefined);
    const problems = checkRequest(method, path, parsed.searchParams, sent);
    if (problems.length > 0) {
      this.invalid.push(...problems);
      return { status: 422, body: { message: "Invalid request.", errors: problems } };
    }
    const route = (pattern: string): string[] | null => {
      const regex = new RegExp(`^${pattern.replace("REPO", `/repos/${this.owner}/${this.repo}`)}$`, "i");
      const match = regex.exec(path);
      return match ? match.slice(1) : null;
    };
    let m: string[] | null;
    if (method === "POST" && route("/app/installations/(\\d+)/access_tokens")) {
      return { status: 201, body: { token: INSTALLATION_TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" } };
    }
    if (method === "GET" && (m = route("REPO/collaborators/([^/]+)/permission"))) return this.permissionOf(m[0] as string);
    if (method === "POST" && (m = route("REPO/issues/comments/(\\d+)/reactions"))) {
      // GitHub keeps one reaction of each kind per user: adding it again answers 200 with the first.
      const index = this.reactions.findIndex((r) => r.commentId === Number(m?.[0]) && r.content === String(input.content));
      if (index >= 0) return { status: 200, body: { id: index + 1, content: input.content } };
      this.reactions.push({ commentId: Number(m[0]), content: String(input.content) });
      return { status: 201, body: { id: this.reactions.length, content: input.content } };
    }
    if (method === "POST" && (m = route("REPO/issues/(\\d+)/comments"))) {
      if ([...String(input.body)].length > 65_536) return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }] } };
      const comment = this.addComment(Number(m[0]), String(input.body), APP_BOT, THE_APP);
      return { status: 201, body: this.commentBody(comment) };
    }
    if (method === "GET" && (m = route("REPO/issues/(\\d+)/comments"))) {
      // GitHub's `since` compares the time a comment was last updated; one page is enough here.
      const since = parsed.searchParams.get("since") ?? "";
      const listed = this.comments.filter((c) => c.issue === Number(m?.[0]) && Date.parse(c.updated_at) >= Date.parse(since || "1970-01-01T00:00:00Z"));
      return { status: 200, body: listed.map((c) => this.commentBody(c)) };
    }
    if (method === "DELETE" && (m = route("REPO/issues/comments/(\\d+)"))) {
      const index = this.comments.findIndex((c) => c.id === Number(m?.[0]));
      if (index < 0) return notFound();
      this.comments.splice(index, 1);
      return { status: 204 };
    }
    if (method === "GET" && (m = route("REPO/pulls/(\\d+)"))) {
      const pull = this.pulls.get(Number(m[0]));
      if (!pull) return notFound();
      // A pull request from a branch here follows that branch; a fork's head stays where it was opened.
      const headSha = pull.head.repo?.full_name === this.fullName ? (this.branches.get(pull.head.ref) ?? pull.head.sha) : pull.head.sha;
      return { status: 200, body: { ...pull, head: { ...pull.head, sha: headSha } } };
    }
    if (method === "GET" && route("REPO/pulls")) {
      const head = parsed.searchParams.get("head");
      const base = parsed.searchParams.get("base");
      const found = [...this.pulls.values()].filter((p) => p.state === "open" && (!head || `${this.owner}:${p.head.ref}` === head) && (!base || p.base.ref === base));
      return { status: 200, body: found };
    }
    if (method === "POST" && route("REPO/pulls")) return this.createPull(input);
    if (method === "GET" && (m = route("REPO/git/trees/([^/]+)"))) {
      const commit = this.resolve(m[0] as string);
      if (!commit) return notFound();
      return { status: 200, body: { sha: commit.sha, truncated: false, tree: [...commit.files.entries()].map(([p, text]) => ({ path: p, type: "blob", mode: "100644", sha: blobSha(text), size: Buffer.byteLength(text) })) } };
    }
    if (method === "GET" && (m = route("REPO/git/blobs/([0-9a-f]{40})"))) {
      const text = this.blobs.get(m[0] as string);
      if (text === undefined) return notFound();
      return { status: 200, body: { sha: m[0], size: Buffer.byteLength(text), encoding: "base64", content: Buffer.from(text).toString("base64") } };
    }
    if (method === "GET" && (m = route("REPO/git/ref/heads/(.+)"))) {
      const sha = this.branches.get(m[0] as string);
      return sha ? { status: 200, body: { ref: `refs/heads/${m[0]}`, object: { sha, type: "commit" } } } : notFound();
    }
    if (method === "DELETE" && (m = route("REPO/git/refs/heads/(.+)"))) {
      if (!this.branches.delete(m[0] as string)) return { status: 422, body: { message: "Reference does not exist" } };
      return { status: 204 };
    }
    if (method === "POST" && route("REPO/git/refs")) {
      const name = String(input.ref).replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return { status: 422, body: { message: "Reference already exists" } };
      if (!this.commits.has(String(input.sha))) return { status: 422, body: { message: "Object does not exist" } };
      this.branches.set(name, String(input.sha));
      return { status: 201, body: { ref: input.ref, object: { sha: input.sha } } };
    }
    if (method === "GET" && (m = route("REPO/contents/(.+)"))) {
      const ref = parsed.searchParams.get("ref") ?? this.defaultBranch;
      const commit = this.resolve(ref);
      const text = commit?.files.get(m[0] as string);
      if (text === undefined) return notFound();
      return { status: 200, body: { type: "file", path: m[0], sha: blobSha(text), encoding: "base64", content: Buffer.from(text).toString("base64") } };
    }
    if (method === "PUT" && (m = route("REPO/contents/(.+)"))) return this.writeFile(m[0] as string, input);
    return notFound();
  }

  private commentBody(comment: FakeComment): Record<string, unknown> {
    const { issue, ...fields } = comment;
    return { ...fields, html_url: `https://github.com/${this.fullName}/issues/${issue}#issuecomment-${comment.id}` };
  }

  private permissionOf(login: string): FakeResponse {
    const level = this.permissions.get(login.toLowerCase());
    if (!level) return notFound();
    const rank = ["read", "triage", "write", "maintain", "admin"].indexOf(level.role_name);
    const permissions = { pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 };
    return { status: 200, body: { permission: level.permission, role_name: level.role_name, user: { login, permissions } } };
  }

  private createPull(input: Record<string, unknown>): FakeResponse {
    const hooked = this.beforePull?.();
    if (hooked) return hooked;
    const head = String(input.head);
    const base = String(input.base);
    if (!this.branches.has(head) || !this.branches.has(base)) return { status: 422, body: { message: "Validation Failed" } };
    if ([...String(input.title)].length > 256) return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Issue", code: "custom", field: "title", message: "title is too long (maximum is 256 characters)" }] } };
    if ([...String(input.body ?? "")].length > 65_536) return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Issue", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }] } };
    if ([...this.pulls.values()].some((p) => p.state === "open" && p.head.ref === head && p.base.ref === base)) {
      return { status: 422, body: { message: "Validation Failed", errors: [{ message: `A pull request already exists for ${this.owner}:${head}.` }] } };
    }
    const number = 100 + this.pulls.size;
    const pull: FakePull = {
      number,
      title: String(input.title),
      body: String(input.body ?? ""),
      head: { ref: head, sha: this.branches.get(head) as string, repo: { full_name: this.fullName } },
      base: { ref: base, sha: this.branches.get(base) as string, repo: { full_name: this.fullName } },
      html_url: `https://github.com/${this.fullName}/pull/${number}`,
      state: "open",
    };
    this.pulls.set(number, pull);
    return { status: 201, body: pull };
  }

  private writeFile(path: string, input: Record<string, unknown>): FakeResponse {
    const branch = String(input.branch ?? this.defaultBranch);
    if (!this.branches.has(branch)) return { status: 422, body: { message: `Branch ${branch} not found` } };
    if (this.protectedBranches.has(branch)) {
      return { status: 409, body: { message: "Could not update file: Changes must be made through a pull request.", documentation_url: "https://docs.github.com/articles/about-protected-branches" } };
    }
    const hooked = this.beforeWrite?.({ branch, path });
    if (hooked) return hooked;
    if (this.outsideWriter && this.outsideWriter.random() < this.outsideWriter.fraction) {
      const theirs = this.file(branch, path);
      this.commit(branch, { [path]: `${theirs ?? ""}# edited by hand ${++this.outsideCommits}\n` }, "an edit by hand");
    }
    const current = this.file(branch, path);
    const sha = typeof input.sha === "string" ? input.sha : null;
    if (current !== null && sha === null) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
    if ((current === null && sha !== null) || (current !== null && sha !== blobSha(current))) {
      return { status: 409, body: { message: `${path} does not match ${sha}` } };
    }
    const text = Buffer.from(String(input.content), "base64").toString("utf8");
    const commit = this.commit(branch, { [path]: text }, String(input.message));
    return {
      status: current === null ? 201 : 200,
      body: { content: { path, sha: blobSha(text) }, commit: { sha: commit.sha, html_url: `https://github.com/${this.fullName}/commit/${commit.sha}`, message: commit.message } },
    };
  }

  private resolve(ref: string): FakeCommit | undefined {
    return this.commits.get(ref) ?? this.commits.get(this.branches.get(ref) ?? "");
  }

  private newCommit(parent: string | null, message: string, files: Map<string, string>): FakeCommit {
    for (const text of files.values()) this.blobs.set(blobSha(text), text);
    const sha = createHash("sha1").update(`commit ${++this.counter} ${message}`).digest("hex");
    const commit = { sha, parent, message, files };
    this.commits.set(sha, commit);
    return commit;
  }
}

const shas = new Map<string, string>();

export function blobSha(text: string): string {
  const known = shas.get(text);
  if (known !== undefined) return known;
  const sha = computeBlobSha(text);
  if (text.length < 100_000) shas.set(text, sha);
  return sha;
}

function computeBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function notFound(): FakeResponse {
  return { status: 404, body: { message: "Not Found" } };
}

/** Routes every request to api.github.com into the fake, through nock (which intercepts fetch). */
export function serveThroughNock(fake: FakeGitHub, origin = "https://api.github.com"): void {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
    nock(origin)
      .persist()
      .intercept(() => true, method)
      .reply((uri, body) => {
        const response = fake.handle(method, uri, body);
        return [response.status, response.body ?? "", { "content-type": "application/json; charset=utf-8" }];
      });
  }
}

/** Serves the fake over HTTP on 127.0.0.1, as GitHub Enterprise would be reached through GHE_HOST. */
export async function serveOverHttp(fake: FakeGitHub, options: { latencyMs?: number } = {}): Promise<{ server: Server; host: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = () => {
        const response = fake.handle(req.method ?? "GET", req.url ?? "/", Buffer.concat(chunks).toString("utf8"));
        res.writeHead(response.status, { "content-type": "application/json; charset=utf-8" });
        res.end(response.body === undefined ? "" : JSON.stringify(response.body));
      };
      // GitHub answering late: the request is taken, and answered after the delay.
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

/** A seeded generator, so a test's injected races fall the same way on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
