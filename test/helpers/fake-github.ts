import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { checkRequest } from "./openapi.js";

/**
 * The one fake GitHub of every suite: the endpoints skilldex calls, each request checked against
 * GitHub's OpenAPI description (test/helpers/openapi.ts) and answered 422 when GitHub would refuse
 * it, so tests assert what a maintainer would see.
 *
 * - One in-memory repository the App edits: commits, branches, protected branches, pull requests,
 *   comments, reactions, permissions; the contents API refuses a stale blob sha, the Git Data API
 *   (trees, commits, refs) a branch update that does not fast-forward, and titles and bodies past
 *   GitHub's limits are refused.
 * - Repositories read from git folders on disk (`serveGit`), for the CLI's and the Action's reads:
 *   the repository, recursive trees, blobs (raw or base64), the contents API and GraphQL blob
 *   batches (GraphQL has no OpenAPI description; its query is checked for the fields asked).
 * - Check runs on any repository, annotations appended across updates as GitHub keeps them.
 *
 * Served over HTTP on 127.0.0.1 (optionally late), or through nock for probot's api.github.com.
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
  /** Bytes to send as they are instead of a JSON body. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/**
 * One request as GitHub received it. `method` and `path` (without /api/v3, decoded) are what
 * tests compare; the rest is there to read but not enumerable, so `toEqual` looks at those two.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly accept: string | undefined;
  readonly body: unknown;
  /** Why GitHub would refuse this request; empty when it would take it. */
  readonly problems: string[];
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; text?: string };
  annotations: Record<string, unknown>[];
  /** The app whose token created it: the installation token's is the App's, any other token's GitHub Actions'. */
  app?: { id: number; slug: string };
}

/** The app GitHub names as the creator of what a workflow's GITHUB_TOKEN creates. */
export const GITHUB_ACTIONS_APP = { id: 15368, slug: "github-actions" } as const;

/** A GitHub App registered from a manifest through the fake's `/settings/apps/new` form. */
export interface RegisteredApp {
  id: number;
  slug: string;
  manifest: Record<string, unknown>;
  pem: string;
  webhookSecret: string;
}

/** Answers a request instead of the fake, for failures; undefined lets the fake answer. */
export type Override = (request: RecordedRequest) => FakeResponse | undefined;

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
  readonly requests: RecordedRequest[] = [];
  readonly checkRuns: StoredCheckRun[] = [];
  /** Repositories answered from git folders on disk, by owner/name. */
  readonly gitRepos = new Map<string, string>();
  /** Whether tree listings of git folders come cut, as GitHub cuts them past 100,000 entries. */
  truncateTrees = false;
  /** Where serveOverHttp or startFakeGitHub serve it, `http://127.0.0.1:PORT`; empty until then. */
  url = "";
  private overrideHandler: Override | null = null;
  private stopServing: () => Promise<void> = async () => undefined;
  /** Runs before each contents write: lets a test land someone else's commit in the race window. */
  beforeWrite: WriteHook | null = null;
  /** Runs before a branch is moved through the Git Data API: lets a test land someone else's commit in the race window. */
  beforeRefUpdate: ((branch: string) => FakeResponse | void) | null = null;
  /** Runs before a pull request is created: lets a test refuse it. */
  beforePull: (() => FakeResponse | void) | null = null;
  /** Requests GitHub's description does not allow, and why. */
  readonly invalid: string[] = [];
  /** Apps registered from a manifest, by the code GitHub hands the redirect URL; each code converts once. */
  readonly manifestCodes = new Map<string, RegisteredApp>();
  /** The private key GitHub hands out for an app registered from a manifest. */
  appPem = "";
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
  /** Trees the Git Data API handed out or took, by sha: each a commit's files. */
  private readonly trees = new Map<string, Map<string, string>>();

  constructor(
    readonly owner = "octo-org",
    readonly repo = "skills",
    readonly defaultBranch = "main",
    files: Record<string, string> = {},
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

  /** Serves these git folders (bare or not) as repositories, by owner/name. */
  serveGit(repos: Record<string, string>): this {
    for (const [name, dir] of Object.entries(repos)) this.gitRepos.set(name.toLowerCase(), dir);
    return this;
  }

  /** Answers requests with `handler` first, until it is replaced or null. */
  override(handler: Override | null): void {
    this.overrideHandler = handler;
  }

  /** Stops serving over HTTP. */
  close(): Promise<void> {
    return this.stopServing();
  }

  /** @internal serveOverHttp's way to say how to stop. */
  served(url: string, stop: () => Promise<void>): void {
    this.url = url;
    this.stopServing = stop;
  }

  handle(method: string, url: string, body: unknown, headers: IncomingHttpHeaders = {}): FakeResponse {
    const parsed = new URL(url, "http://fake");
    // The web page (not the API) a browser posts a manifest form to, as github.com/settings/apps/new.
    if (method === "POST" && /^(\/organizations\/[^/]+)?\/settings\/apps\/new$/.test(parsed.pathname)) return this.registerFromManifest(String(body ?? ""));
    const path = decodeURIComponent(parsed.pathname.replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api(?=\/graphql$)/, ""));
    let input: Record<string, unknown>;
    try {
      input = (typeof body === "string" && body !== "" ? JSON.parse(body) : (body ?? {})) as Record<string, unknown>;
    } catch {
      this.invalid.push(`${method} ${path}: the body is not JSON`);
      return { status: 400, body: { message: "Problems parsing JSON" } };
    }
    const sent = typeof body === "string" ? (body === "" ? undefined : input) : (body ?? undefined);
    const header = (name: string): string | undefined => (typeof headers[name] === "string" ? headers[name] : undefined);
    const recorded = { method, path } as RecordedRequest;
    Object.defineProperties(recorded, {
      query: { value: parsed.searchParams },
      authorization: { value: header("authorization") },
      accept: { value: header("accept") },
      body: { value: sent },
      problems: { value: path === "/graphql" ? checkGraphql(method, input) : [...checkRequest(method, path, parsed.searchParams, sent), ...checkAnnotations(path, sent)] },
    });
    this.requests.push(recorded);
    const { problems } = recorded;
    if (problems.length > 0) {
      this.invalid.push(...problems);
      return { status: 422, body: { message: "Invalid request.", errors: problems } };
    }
    const forced = this.overrideHandler?.(recorded);
    if (forced) return forced;
    const raw = /application\/vnd\.github(\.v3)?\.raw/.test(recorded.accept ?? "");
    if (path === "/graphql") return this.graphql(input);
    const checkRun = this.checkRunRequest(method, path, recorded, input);
    if (checkRun) return checkRun;
    const git = this.gitRequest(method, path, parsed.searchParams, raw);
    if (git) return git;
    const route = (pattern: string): string[] | null => {
      const regex = new RegExp(`^${pattern.replace("REPO", `/repos/${this.owner}/${this.repo}`)}$`, "i");
      const match = regex.exec(path);
      return match ? match.slice(1) : null;
    };
    let m: string[] | null;
    if (method === "POST" && route("/app/installations/(\\d+)/access_tokens")) {
      return { status: 201, body: { token: INSTALLATION_TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" } };
    }
    if (method === "POST" && (m = route("/app-manifests/([^/]+)/conversions"))) return this.convertManifestCode(m[0] as string);
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
      if (raw) return { status: 200, raw: Buffer.from(text), headers: { "content-type": "application/octet-stream" } };
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
    if (method === "GET" && (m = route("REPO/git/commits/([0-9a-f]{40})"))) {
      const commit = this.commits.get(m[0] as string);
      if (!commit) return notFound();
      return { status: 200, body: this.gitCommitBody(commit) };
    }
    if (method === "POST" && route("REPO/git/trees")) return this.createTree(input);
    if (method === "POST" && route("REPO/git/commits")) {
      const files = this.trees.get(String(input.tree));
      const parents = (input.parents ?? []) as string[];
      if (!files || parents.some((sha) => !this.commits.has(sha))) return { status: 422, body: { message: "Object does not exist" } };
      return { status: 201, body: this.gitCommitBody(this.newCommit(parents[0] ?? null, String(input.message), new Map(files))) };
    }
    if (method === "PATCH" && (m = route("REPO/git/refs/heads/(.+)"))) return this.updateRef(m[0] as string, input);
    if (method === "GET" && (m = route("REPO/contents/(.+)"))) {
      const ref = parsed.searchParams.get("ref") ?? this.defaultBranch;
      const commit = this.resolve(ref);
      const text = commit?.files.get(m[0] as string);
      if (text === undefined) return notFound();
      return contentsAnswer(m[0] as string, Buffer.from(text), blobSha(text), raw);
    }
    if (method === "PUT" && (m = route("REPO/contents/(.+)"))) return this.writeFile(m[0] as string, input);
    return notFound();
  }

  /** POST and PATCH of check runs, on any repository; GitHub wants a token for both. */
  private checkRunRequest(method: string, path: string, request: RecordedRequest, input: Record<string, unknown>): FakeResponse | null {
    const list = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/.exec(path);
    if (list && method === "GET") return this.listCheckRuns(list[3] as string, request.query);
    const create = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(path);
    const update = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(path);
    if (!(create && method === "POST") && !(update && method === "PATCH")) return null;
    if (!request.authorization) return { status: 401, body: { message: "Requires authentication" } };
    const { annotations = [], ...output } = (input.output ?? {}) as StoredCheckRun["output"] & { annotations?: Record<string, unknown>[] };
    if (create) {
      const run: StoredCheckRun = {
        id: 4000 + this.checkRuns.length,
        name: input.name as string,
        head_sha: input.head_sha as string,
        status: (input.status as string | undefined) ?? "queued",
        conclusion: (input.conclusion as string | undefined) ?? null,
        output,
        annotations: [...annotations],
        app: request.authorization?.includes(INSTALLATION_TOKEN) ? { ...THE_APP } : { ...GITHUB_ACTIONS_APP },
      };
      this.checkRuns.push(run);
      return { status: 201, body: { id: run.id, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion, html_url: `https://github.com/${create[1]}/${create[2]}/runs/${run.id}` } };
    }
    const run = this.checkRuns.find((r) => r.id === Number(update?.[3]));
    if (!run) return notFound();
    if (input.output) run.output = { ...run.output, ...output };
    run.annotations.push(...annotations);
    return { status: 200, body: { id: run.id, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion } };
  }

  /** GET check runs for a ref: a commit's check runs, newest first, by name and app when asked. */
  private listCheckRuns(ref: string, query: URLSearchParams): FakeResponse {
    const sha = this.resolve(ref)?.sha ?? ref;
    const name = query.get("check_name");
    const appId = query.get("app_id");
    const runs = this.checkRuns.filter((r) => r.head_sha === sha && (name === null || r.name === name) && (appId === null || r.app?.id === Number(appId))).reverse();
    const page = runs.slice(0, Number(query.get("per_page") ?? 30));
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: page.map((r) => ({ id: r.id, name: r.name, head_sha: r.head_sha, status: r.status, conclusion: r.conclusion, app: r.app ?? null, output: { title: r.output.title, summary: r.output.summary } })) },
    };
  }

  /** The form github.com/settings/apps/new takes: the manifest is kept under a code, and the browser sent on to its redirect_url. */
  private registerFromManifest(form: string): FakeResponse {
    const manifest = JSON.parse(new URLSearchParams(form).get("manifest") ?? "null") as Record<string, unknown> | null;
    const hook = manifest?.hook_attributes as { url?: unknown } | undefined;
    if (!manifest || typeof manifest.url !== "string" || typeof manifest.redirect_url !== "string" || typeof hook?.url !== "string") {
      return { status: 422, body: { message: "Invalid manifest: url, redirect_url and hook_attributes.url are required" } };
    }
    const code = `code${this.manifestCodes.size + 1}`;
    const id = 500 + this.manifestCodes.size;
    this.manifestCodes.set(code, { id, slug: String(manifest.name ?? "app"), manifest, pem: this.appPem, webhookSecret: `secret-of-app-${id}` });
    return { status: 302, headers: { location: `${manifest.redirect_url}?code=${code}` } };
  }

  /** POST /app-manifests/{code}/conversions: the app's credentials, once per code. */
  private convertManifestCode(code: string): FakeResponse {
    const app = this.manifestCodes.get(code);
    if (!app) return notFound();
    this.manifestCodes.delete(code);
    const permissions = app.manifest.default_permissions ?? {};
    return {
      status: 201,
      body: { id: app.id, slug: app.slug, name: app.slug, html_url: `https://github.com/apps/${app.slug}`, client_id: `Iv1.${app.id}`, client_secret: `client-secret-${app.id}`, webhook_secret: app.webhookSecret, pem: app.pem, permissions, events: app.manifest.default_events ?? [] },
    };
  }

  /** The reads of a repository served from a git folder; null when the path is not one of them. */
  private gitRequest(method: string, path: string, query: URLSearchParams, raw: boolean): FakeResponse | null {
    const m = /^\/repos\/([^/]+)\/([^/]+)(?:\/(git\/trees|git\/blobs|contents)\/(.+))?$/.exec(path);
    const dir = m && method === "GET" ? this.gitRepos.get(`${m[1]}/${m[2]}`.toLowerCase()) : undefined;
    if (!m || !dir) return null;
    const [, , , kind, id] = m as unknown as [string, string, string, string | undefined, string];
    try {
      if (kind === undefined) return { status: 200, body: { name: m[2], full_name: `${m[1]}/${m[2]}`, default_branch: git(dir, "symbolic-ref", "--short", "HEAD").toString().trim() || "main" } };
      if (kind === "git/trees") {
        const out = git(dir, "ls-tree", "-r", "-l", "-z", `${id}^{commit}`).toString("utf8");
        const tree = out.split("\0").filter(Boolean).map((record) => {
          const [meta, file] = record.split("\t") as [string, string];
          const [mode, type, sha, size] = meta.split(/ +/) as [string, string, string, string];
          return { path: file, mode, type, sha, size: Number(size) };
        });
        return { status: 200, body: { sha: id, tree: this.truncateTrees ? tree.slice(0, 1) : tree, truncated: this.truncateTrees } };
      }
      if (kind === "git/blobs") {
        const bytes = git(dir, "cat-file", "blob", id);
        if (raw) return { status: 200, raw: bytes, headers: { "content-type": "application/octet-stream" } };
        return { status: 200, body: { sha: id, size: bytes.length, encoding: "base64", content: bytes.toString("base64") } };
      }
    } catch {
      return kind === "git/blobs" ? { status: 422, body: { message: "No object found for the sha" } } : { status: 404, body: { message: kind ? "No commit found for the ref" : "Not Found" } };
    }
    const ref = query.get("ref") ?? "HEAD";
    let type: string;
    try {
      type = git(dir, "cat-file", "-t", `${ref}:${id}`).toString().trim();
    } catch {
      return notFound();
    }
    if (type === "tree") {
      const names = git(dir, "ls-tree", "--name-only", `${ref}:${id}`).toString().split("\n").filter(Boolean);
      return { status: 200, body: names.map((name) => ({ type: "file", name, path: `${id}/${name}` })) };
    }
    return contentsAnswer(id, git(dir, "cat-file", "blob", `${ref}:${id}`), git(dir, "rev-parse", `${ref}:${id}`).toString().trim(), raw);
  }

  /** GraphQL's `object(oid:)` blob batches, for the git folders. */
  private graphql(input: Record<string, unknown>): FakeResponse {
    const { query, variables } = input as { query: string; variables: { owner: string; name: string } };
    const dir = this.gitRepos.get(`${variables.owner}/${variables.name}`.toLowerCase());
    if (!dir) return { status: 200, body: { data: null, errors: [{ type: "NOT_FOUND", message: `Could not resolve to a Repository with the name '${variables.owner}/${variables.name}'.` }] } };
    const repository: Record<string, unknown> = {};
    for (const match of query.matchAll(/(b\d+): object\(oid: "([0-9a-f]+)"\)/g)) {
      try {
        const bytes = git(dir, "cat-file", "blob", match[2] as string);
        repository[match[1] as string] = { text: bytes.includes(0) ? null : bytes.toString("utf8"), isBinary: bytes.includes(0), isTruncated: false };
      } catch {
        repository[match[1] as string] = null;
      }
    }
    return { status: 200, body: { data: { repository } } };
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

  /** A commit as the Git Data API answers for it, its tree registered so a new tree can build on it. */
  private gitCommitBody(commit: FakeCommit): Record<string, unknown> {
    const html_url = `https://github.com/${this.fullName}/commit/${commit.sha}`;
    return { sha: commit.sha, html_url, message: commit.message, tree: { sha: this.treeOf(commit.files) }, parents: commit.parent ? [{ sha: commit.parent }] : [] };
  }

  private treeOf(files: Map<string, string>): string {
    const listing = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, text]) => `${path}\0${blobSha(text)}`);
    const sha = createHash("sha1").update(`tree ${listing.join("\n")}`).digest("hex");
    this.trees.set(sha, files);
    return sha;
  }

  /** POST git/trees: the base tree with entries replaced by their content or blob sha, or removed by a null sha. */
  private createTree(input: Record<string, unknown>): FakeResponse {
    const base = input.base_tree === undefined ? new Map<string, string>() : this.trees.get(String(input.base_tree));
    if (!base) return { status: 422, body: { message: "Invalid tree info" } };
    const files = new Map(base);
    for (const entry of (input.tree ?? []) as { path: string; type?: string; sha?: string | null; content?: string }[]) {
      if (entry.content !== undefined) files.set(entry.path, entry.content);
      else if (entry.sha === null) files.delete(entry.path);
      else {
        const text = this.blobs.get(String(entry.sha));
        if (text === undefined) return { status: 422, body: { message: "Invalid tree info" } };
        files.set(entry.path, text);
      }
    }
    for (const text of files.values()) this.blobs.set(blobSha(text), text);
    const sha = this.treeOf(files);
    return { status: 201, body: { sha, truncated: false, tree: [...files.entries()].map(([path, text]) => ({ path, mode: "100644", type: "blob", sha: blobSha(text), size: Buffer.byteLength(text) })) } };
  }

  /** PATCH git/refs/heads/...: refused on a protected branch, and, without force, when the branch's commit is not an ancestor of the new one. */
  private updateRef(branch: string, input: Record<string, unknown>): FakeResponse {
    const current = this.branches.get(branch);
    if (current === undefined) return { status: 422, body: { message: "Reference does not exist" } };
    if (this.protectedBranches.has(branch)) {
      return { status: 422, body: { message: `Protected branch update failed for refs/heads/${branch}.`, documentation_url: "https://docs.github.com/articles/about-protected-branches" } };
    }
    const sha = String(input.sha);
    if (!this.commits.has(sha)) return { status: 422, body: { message: "Object does not exist" } };
    const hooked = this.beforeRefUpdate?.(branch);
    if (hooked) return hooked;
    const head = this.branches.get(branch) as string;
    let ancestor = false;
    for (let at: string | null = sha; at !== null && !ancestor; at = this.commits.get(at)?.parent ?? null) ancestor = at === head;
    if (input.force !== true && !ancestor) return { status: 422, body: { message: "Update is not a fast forward", documentation_url: "https://docs.github.com/rest/git/refs#update-a-reference" } };
    this.branches.set(branch, sha);
    return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } } };
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

function git(dir: string, ...args: string[]): Buffer {
  return execFileSync("git", args, { cwd: dir, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 });
}

/**
 * GET contents of a file: its bytes with the raw media type; else JSON with base64 content, which
 * GitHub leaves out (encoding `none`) for a file over 1 MB.
 */
function contentsAnswer(path: string, bytes: Buffer, sha: string, raw: boolean): FakeResponse {
  if (raw) return { status: 200, raw: bytes, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } };
  const large = bytes.length > 1024 * 1024;
  return { status: 200, body: { type: "file", name: path.split("/").at(-1), path, sha, size: bytes.length, encoding: large ? "none" : "base64", content: large ? "" : bytes.toString("base64") } };
}

/** What GitHub checks of check-run annotations beyond the schema: columns only on an annotation on one line. */
function checkAnnotations(path: string, body: unknown): string[] {
  if (!/\/check-runs(\/\d+)?$/.test(path)) return [];
  const annotations = (body as { output?: { annotations?: Record<string, unknown>[] } } | undefined)?.output?.annotations ?? [];
  return annotations.flatMap((a, i) =>
    (a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line ? [`body.output.annotations[${i}]: start_column and end_column need start_line equal to end_line`] : [],
  );
}

/** GraphQL has no OpenAPI description: a POST of a query with the variables it declares. */
function checkGraphql(method: string, input: Record<string, unknown>): string[] {
  if (method !== "POST") return [`${method} /graphql: GraphQL takes POST only`];
  if (typeof input.query !== "string") return ["POST /graphql: the body needs a query"];
  const variables = (input.variables ?? {}) as Record<string, unknown>;
  const declared = [...input.query.matchAll(/\$(\w+):/g)].map((m) => m[1] as string);
  return declared.filter((name) => variables[name] === undefined).map((name) => `POST /graphql: the query declares $${name}, which the variables lack`);
}

function notFound(): FakeResponse {
  return { status: 404, body: { message: "Not Found" } };
}

/**
 * Routes every request to api.github.com into the fake, through nock (which intercepts fetch), and
 * lets no other request leave; stopServingThroughNock undoes both.
 */
export function serveThroughNock(fake: FakeGitHub, origin = "https://api.github.com"): void {
  nock.disableNetConnect();
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
    nock(origin)
      .persist()
      .intercept(() => true, method)
      .reply(function (uri, body) {
        const response = fake.handle(method, uri, body, this.req.headers as IncomingHttpHeaders);
        return [response.status, response.raw ?? response.body ?? "", { "content-type": "application/json; charset=utf-8", ...response.headers }];
      });
  }
}

/** Ends serveThroughNock: its routes removed, the network open again. */
export function stopServingThroughNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** Serves the fake over HTTP on 127.0.0.1, as GitHub Enterprise would be reached through GHE_HOST or GITHUB_API_URL. */
export async function serveOverHttp(fake: FakeGitHub, options: { latencyMs?: number } = {}): Promise<{ server: Server; host: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = () => {
        const response = fake.handle(req.method ?? "GET", req.url ?? "/", Buffer.concat(chunks).toString("utf8"), req.headers);
        res.writeHead(response.status, { "content-type": "application/json; charset=utf-8", ...response.headers });
        res.end(response.raw ?? (response.body === undefined ? "" : JSON.stringify(response.body)));
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
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.served(`http://${host}`, close);
  return { server, host, close };
}

/** A fake serving these git folders by owner/name (and check runs), listening on 127.0.0.1. */
export async function startFakeGitHub(repos: Record<string, string> = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHub().serveGit(repos);
  await serveOverHttp(fake);
  return fake;
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
