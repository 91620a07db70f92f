import { mkdir, writeFile } from "node:fs/promises";
import type { SimpleGit, SimpleGitFactory } from "simple-git";

/**
 * Every git command skilldex runs goes through here, so errors are translated once into messages
 * a person can act on.
 */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

/** simple-git is loaded on first use: a scan of a folder that is not compared with a base never runs git. */
async function loadSimpleGit(): Promise<SimpleGitFactory> {
  return (await import("simple-git")).simpleGit;
}

async function git(dir: string): Promise<SimpleGit> {
  const simpleGit = await loadSimpleGit();
  return simpleGit({ baseDir: dir, config: ["core.quotePath=false"] });
}

/** Whether `dir` lies inside a git work tree. */
export async function isInsideWorkTree(dir: string): Promise<boolean> {
  try {
    return (await (await git(dir)).raw(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false;
  }
}

/**
 * Who the user is to git in `dir` (the repository's config, else the global one): `user.name`,
 * else the part of `user.email` before the `@`; null when git knows neither.
 */
export async function gitUserName(dir: string): Promise<string | null> {
  const read = async (key: string): Promise<string> => {
    try {
      return (await (await git(dir)).raw(["config", "--get", key])).trim();
    } catch {
      return "";
    }
  };
  const name = await read("user.name");
  if (name !== "") return name;
  const login = (await read("user.email")).split("@")[0]?.trim() ?? "";
  return login === "" ? null : login;
}

/**
 * Refs and URLs reach git from event payloads and marketplace files, so from pull requests: one
 * that starts with `-` would be read as an option (`--upload-pack=…` runs a command).
 */
export function assertSafeRef(ref: string, what = "ref"): void {
  if (ref.startsWith("-") || /[\0\r\n]/.test(ref)) throw new GitError(`refusing the ${what} ${JSON.stringify(ref)}: it is not a branch, tag, commit or URL`);
}

/** The full commit sha a ref names, or a GitError that says it does not exist. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  assertSafeRef(ref, "base");
  if (!(await isInsideWorkTree(dir))) throw new GitError(`cannot compare with ${ref}: ${dir} is not inside a git repository`);
  let sha: string;
  try {
    // With --quiet git says nothing on a miss, and simple-git then resolves with empty output.
    sha = (await (await git(dir)).raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    sha = "";
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(`cannot compare with ${ref}: no such commit, branch or tag here (is the history fetched? a shallow clone lacks it; in GitHub Actions, use fetch-depth: 0 with actions/checkout)`);
  }
  return sha;
}

export interface BaseComparison {
  /** Files (relative to `dir`) that existed at the base. */
  atBase: Set<string>;
  /** Files that differ between the base and the working tree, untracked files included. */
  changed: Set<string>;
}

/** What the working tree below `dir` changed against a base commit. */
export async function compareWithBase(dir: string, baseSha: string): Promise<BaseComparison> {
  const g = await git(dir);
  const nul = (out: string): string[] => out.split("\0").filter((s) => s !== "");
  // Paths come relative to `dir` and limited to it: the scan root may be a sub-folder.
  const [tree, diff, untracked] = await Promise.all([
    g.raw(["ls-tree", "-r", "-z", "--name-only", baseSha, "--", "."]),
    g.raw(["diff", "--name-only", "-z", "--no-renames", "--relative", baseSha, "--", "."]),
    g.raw(["ls-files", "--others", "--exclude-standard", "-z", "--", "."]),
  ]);
  return { atBase: new Set(nul(tree)), changed: new Set([...nul(diff), ...nul(untracked)]) };
}

/** How a git command that talks to a remote is run. */
export interface RemoteGitOptions {
  /** The environment git runs in; its PATH decides which git is found. process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Kills the git process when aborted: the clone's timeout. */
  signal?: AbortSignal;
  /** Configuration given through GIT_CONFIG_COUNT, so that it shows in no process listing and lands in no config file. */
  configEnv?: readonly (readonly [string, string])[];
  /** Text removed from every error message: the token and its encodings. */
  redact?: (text: string) => string;
}

/** Variables simple-git refuses to pass on unless named, because they can run commands or move config. */
function isGuardedEnvKey(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith("git_") || ["editor", "visual", "pager", "prefix", "ssh_askpass"].includes(k);
}

async function remoteGit(dir: string, options: RemoteGitOptions, input?: string): Promise<SimpleGit> {
  const simpleGit = await loadSimpleGit();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.env ?? process.env)) if (!isGuardedEnvKey(key)) env[key] = value;
  // Never wait on a credential prompt, and never run the LFS smudge filter's downloads.
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_LFS_SKIP_SMUDGE = "1";
  const allow = ["GIT_TERMINAL_PROMPT", "GIT_LFS_SKIP_SMUDGE"];
  const configEnv = options.configEnv ?? [];
  if (configEnv.length > 0) {
    env.GIT_CONFIG_COUNT = String(configEnv.length);
    allow.push("GIT_CONFIG_COUNT");
    configEnv.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
      allow.push(`GIT_CONFIG_KEY_${i}`, `GIT_CONFIG_VALUE_${i}`);
    });
  }
  return simpleGit({
    baseDir: dir,
    config: ["core.quotePath=false", "advice.detachedHead=false"],
    abort: options.signal,
    ...(input === undefined ? {} : { input: () => input }),
    allowEnvironment: allow,
    unsafe: { allowUnsafeConfigEnvCount: configEnv.length > 0 },
  }).env(env);
}

/** Runs one remote-facing git command, translating failures into a GitError free of secrets. */
async function runRemote<T>(what: string, options: RemoteGitOptions, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (options.signal?.aborted) throw new GitError(`${what}: stopped (${String(options.signal.reason ?? "aborted")})`);
    const code = (error as NodeJS.ErrnoException).code;
    const raw = code === "ENOENT" ? "git is not installed or not on PATH" : error instanceof Error ? error.message : String(error);
    const clean = (options.redact ?? ((s: string) => s))(raw.trim().split("\n").filter((l) => l.trim() !== "").slice(-3).join(" / "));
    throw new GitError(`${what}: ${clean}`);
  }
}

/** The installed git's version (`2.39.5`), or null when no git runs from the environment's PATH. */
export async function gitVersion(env?: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const out = await (await remoteGit(process.cwd(), { env })).raw(["--version"]);
    return /git version (\S+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return null;
  }
}

/**
 * Fetches one commit of `url` into a new repository at `dir` (an empty folder): shallow, and with
 * no file contents (`--filter=blob:none`), so only commits and trees arrive. `ref` is a branch, a
 * tag or a full commit sha (the server must allow fetching a sha, as GitHub does); HEAD by default.
 * Returns the commit's sha.
 */
export async function fetchCommitWithoutBlobs(dir: string, url: string, ref: string | null, options: RemoteGitOptions): Promise<string> {
  assertSafeRef(url, "URL");
  const g = await remoteGit(dir, options);
  await runRemote("git init", options, () => g.raw(["init", "-q"]));
  await runRemote("git remote add", options, () => g.raw(["remote", "add", "origin", url]));
  // A promisor remote lets later commands fetch the few blobs they need on demand.
  await runRemote("git config", options, () => g.raw(["config", "remote.origin.promisor", "true"]));
  await runRemote("git config", options, () => g.raw(["config", "remote.origin.partialclonefilter", "blob:none"]));
  return fetchAnotherCommit(dir, ref, options);
}

/** Fetches one more commit, trees only, into a repository `fetchCommitWithoutBlobs` made; returns its sha. */
export async function fetchAnotherCommit(dir: string, ref: string | null, options: RemoteGitOptions): Promise<string> {
  const g = await remoteGit(dir, options);
  if (ref !== null) assertSafeRef(ref);
  await runRemote(`git fetch ${ref ?? "HEAD"}`, options, () =>
    g.raw(["fetch", "-q", "--no-tags", "--no-recurse-submodules", "--filter=blob:none", "--depth=1", "--end-of-options", "origin", ref ?? "HEAD"]),
  );
  return (await runRemote("git rev-parse", options, () => g.raw(["rev-parse", "--verify", "FETCH_HEAD^{commit}"]))).trim();
}

/** One file of a commit's tree, as `git ls-tree` names it. */
export interface TreeEntry {
  path: string;
  /** The blob's object id. */
  sha: string;
  /** `100644`, `100755` or `120000` (a symlink). */
  mode: string;
}

/** Every file of a commit's tree (submodules left out), read from trees alone: no blob is fetched. */
export async function listTreeFiles(dir: string, commit: string, options: RemoteGitOptions): Promise<TreeEntry[]> {
  const out = await runRemote("git ls-tree", options, async () => (await remoteGit(dir, options)).raw(["ls-tree", "-r", "-z", "--full-tree", commit]));
  const entries: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab === -1) continue;
    const [mode, type, sha] = record.slice(0, tab).split(" ");
    if (type !== "blob" || !mode || !sha) continue;
    entries.push({ path: record.slice(tab + 1), sha, mode });
  }
  return entries;
}

/**
 * Checks out `commit` with only `paths` in the work tree (a no-cone sparse checkout), so the
 * partial clone fetches those blobs, in one batch, and no others.
 */
export async function checkoutOnly(dir: string, commit: string, paths: readonly string[], options: RemoteGitOptions): Promise<void> {
  const g = await remoteGit(dir, options);
  await runRemote("git config", options, () => g.raw(["config", "core.sparseCheckout", "true"]));
  await runRemote("git config", options, () => g.raw(["config", "core.sparseCheckoutCone", "false"]));
  const gitDir = (await runRemote("git rev-parse", options, () => g.raw(["rev-parse", "--absolute-git-dir"]))).trim();
  await mkdir(`${gitDir}/info`, { recursive: true });
  await writeFile(`${gitDir}/info/sparse-checkout`, paths.map(sparsePattern).join("\n") + "\n");
  if (paths.length === 0) return; // nothing to fetch, and git refuses a checkout that leaves no file
  await runRemote("git checkout", options, () => g.raw(["checkout", "-q", "--no-progress", commit]));
}

/** A gitignore-style pattern that matches exactly one path from the root. */
function sparsePattern(path: string): string {
  return `/${path.replace(/[\\*?[\] ]/g, (c) => `\\${c}`)}`;
}

/** One blob's bytes, fetched from the promisor remote when the clone does not hold it yet. */
export async function readBlob(dir: string, sha: string, options: RemoteGitOptions): Promise<Buffer> {
  return runRemote(`git cat-file ${sha.slice(0, 12)}`, options, async () => (await remoteGit(dir, options)).showBuffer([sha]));
}

/**
 * Fetches the given blobs from the promisor remote in one request, as git does itself when a
 * partial clone needs objects, so that reading them afterwards costs no round trip.
 */
export async function fetchBlobs(dir: string, oids: readonly string[], options: RemoteGitOptions): Promise<void> {
  if (oids.length === 0) return;
  const g = await remoteGit(dir, options, `${oids.join("\n")}\n`);
  // The noop negotiation sends no "have" lines: the wants are objects, not history.
  const args = ["-c", "fetch.negotiationAlgorithm=noop", "fetch", "-q", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "origin", "--stdin"];
  await runRemote(`git fetch of ${oids.length} blobs`, options, () => g.raw(args));
}

/** The bytes of blobs already in the repository, read by one `git cat-file --batch`. */
export async function readBlobs(dir: string, oids: readonly string[], options: RemoteGitOptions): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (oids.length === 0) return blobs;
  const chunks: Buffer[] = [];
  // simple-git gives text; the batch output holds raw bytes, so it is taken from the stream.
  const g = (await remoteGit(dir, options, `${oids.join("\n")}\n`)).outputHandler((_command, stdout) => void stdout.on("data", (chunk: Buffer) => chunks.push(chunk)));
  await runRemote("git cat-file --batch", options, () => g.raw(["cat-file", "--batch"]));
  const out = Buffer.concat(chunks);
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(10, at);
    if (eol === -1) break;
    const [oid, type, size] = out.subarray(at, eol).toString("utf8").split(" ");
    if (type === "missing" || size === undefined) {
      at = eol + 1;
      continue;
    }
    const length = Number(size);
    blobs.set(oid as string, out.subarray(eol + 1, eol + 1 + length));
    at = eol + 1 + length + 1;
  }
  return blobs;
}
