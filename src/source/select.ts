import { readdirSync } from "node:fs";
import { gitVersion } from "../git.js";
// The remote sources load the GitHub client and more: a scan of a folder on disk never needs them.
import type { ApiSource } from "./api.js";
import type { CloneSource, DiskSpaceProbe } from "./clone.js";
import { redact } from "../telemetry/redact.js";
import type { FileSource } from "./types.js";
import { WorkspaceSource } from "./workspace.js";

export const STRATEGIES = ["auto", "workspace", "clone", "api"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Structured logging without a console: the CLI, the Action and the tests each decide where it goes. */
export type SourceLog = (level: "debug" | "info" | "warning" | "error", message: string, fields?: Record<string, unknown>) => void;

/** How to reach remote repositories: shared by the scanned repository and a marketplace's external plugins. */
export interface RemoteOptions {
  /** Sent as a header to the API and to git over HTTPS; never logged, never in a URL. */
  token?: string | null;
  /** `GITHUB_API_URL`; https://api.github.com by default. */
  apiUrl?: string | null;
  /** `GITHUB_SERVER_URL`, the host git clones from; https://github.com by default. */
  serverUrl?: string | null;
  /** The clone's time limit; 300 s by default. */
  timeoutMs?: number;
  /** The free space a clone needs; 500 MB by default. */
  minFreeBytes?: number;
  diskSpace?: DiskSpaceProbe;
  tempDir?: string;
  /** The environment git runs in; its PATH decides whether git is found. */
  env?: NodeJS.ProcessEnv;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  retryDelayMs?: number;
  /** Blob requests in flight at once for the API source; 8 by default. */
  blobConcurrency?: number;
  log?: SourceLog;
}

export interface SelectSourceOptions extends RemoteOptions {
  strategy?: Strategy;
  /** A folder that may already hold the files: the Action's workspace, the CLI's path. */
  root?: string | null;
  /** `owner/name` on the GitHub server, for the clone and the API. */
  repo?: string | null;
  /** A branch, tag or commit sha; the default branch when absent. */
  ref?: string | null;
  /** A folder inside the repository to fetch alone, with `/`; the whole repository when absent. */
  subdir?: string | null;
  /** Clones from here instead of `serverUrl/owner/name.git` (a mirror, or a test's file:// URL). */
  cloneUrl?: string | null;
  /** Whether git runs, when the caller already asked: git is checked once per run. */
  git?: GitCheck;
}

export interface GitCheck {
  version: string | null;
}

export interface SelectedSource {
  source: FileSource & { notes?: string[] };
  strategy: Exclude<Strategy, "auto">;
  /** Why this source, in one sentence, for the log and the job summary. */
  reason: string;
  /** Every fallback on the way, each saying why; also in the source's listing warnings. */
  warnings: string[];
  git: GitCheck;
}

/** Where a remote repository is: a git URL always, and a GitHub repository when the API can serve it. */
export interface RemoteTarget {
  cloneUrl: string;
  /** `owner/name` on the API host; null when only git can reach it. */
  repo: string | null;
  ref: string | null;
  subdir?: string | null;
  /** How the target is named in messages: never a URL with credentials. */
  label: string;
}

/** Looks for git once, logging what was found. */
export async function checkGit(options: Pick<RemoteOptions, "env" | "log">): Promise<GitCheck> {
  const version = await gitVersion(options.env);
  if (version) options.log?.("info", `git ${version} found`, { gitVersion: version });
  else options.log?.("warning", "git was not found on PATH: files will be read through the GitHub API", { gitVersion: null });
  return { version };
}

/**
 * Chooses where the files come from and opens it. `auto` takes the workspace when files are there,
 * else a partial clone, else the API; each choice is logged with its reason, and each fallback is
 * a warning. An explicit strategy is obeyed or fails, never swapped for another.
 */
export async function selectSource(options: SelectSourceOptions): Promise<SelectedSource> {
  const strategy = options.strategy ?? "auto";
  const log = options.log ?? (() => undefined);
  const root = options.root ?? null;
  const chosen = (source: SelectedSource["source"], reason: string, warnings: string[] = [], git: GitCheck = { version: null }): SelectedSource => {
    log("info", `reading files from the ${source.strategy === "workspace" ? "workspace" : source.strategy === "clone" ? "partial clone" : "GitHub API"}: ${reason}`, {
      strategy: source.strategy,
      reason,
      apiCalls: source.apiCalls ?? 0,
      bytesFetched: source.bytesFetched ?? 0,
    });
    return { source, strategy: source.strategy as SelectedSource["strategy"], reason, warnings, git };
  };

  if (strategy === "workspace" || (strategy === "auto" && root !== null && holdsFiles(root))) {
    if (root === null) throw new Error("the workspace source needs a folder to read");
    return chosen(new WorkspaceSource(root), strategy === "workspace" ? "asked for" : `${root} holds the files`);
  }
  if (!options.repo) {
    if (root === null) throw new Error("nothing to scan: give a folder or a repository (owner/name)");
    throw new Error(strategy === "auto" ? `${root} holds no files; give a repository (owner/name) to fetch them` : `the ${strategy} source fetches a repository: give one (owner/name, --repo on the command line)`);
  }
  const target = githubTarget(options.repo, options.ref ?? null, options, options.subdir || null);
  if (options.cloneUrl) target.cloneUrl = options.cloneUrl;
  const git = options.git ?? (strategy === "api" ? { version: null } : await checkGit(options));
  const opened = await openRemote(target, { ...options, log }, git, strategy === "auto" ? "auto" : strategy);
  if (opened.ok) return chosen(opened.source, opened.reason, opened.warnings, git);
  throw new Error(opened.reason);
}

/**
 * Opens a remote repository by the partial clone, falling back to the API when git is missing,
 * the disk is too full, or the clone fails or times out (with `auto`). Failures come back as a
 * reason, so that one external plugin's failure stays its own.
 */
export async function openRemote(
  target: RemoteTarget,
  options: RemoteOptions & { log: SourceLog },
  git: GitCheck,
  strategy: "auto" | "clone" | "api",
): Promise<{ ok: true; source: CloneSource | ApiSource; reason: string; warnings: string[] } | { ok: false; reason: string }> {
  const { log } = options;
  const scrub = (text: string): string => redact(text, [options.token]);
  const warnings: string[] = [];
  const canUseApi = target.repo !== null;
  const tryApi = async (reason: string): Promise<{ ok: true; source: ApiSource; reason: string; warnings: string[] } | { ok: false; reason: string }> => {
    if (!canUseApi) return { ok: false, reason: scrub(`${target.label}: ${reason}, and the GitHub API cannot serve ${target.cloneUrl}`) };
    const [owner, name] = (target.repo as string).split("/") as [string, string];
    try {
      const { ApiSource } = await import("./api.js");
      const source = await ApiSource.open({
        owner,
        repo: name,
        ref: target.ref,
        subdir: target.subdir,
        token: options.token,
        baseUrl: options.apiUrl,
        fetch: options.fetch,
        retryDelayMs: options.retryDelayMs,
        concurrency: options.blobConcurrency,
      });
      source.notes.push(...warnings);
      return { ok: true, source, reason, warnings };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: scrub(reason === "asked for" ? `${target.label}: ${message}` : `${target.label}: ${reason}, and then the GitHub API failed: ${message}`) };
    }
  };

  if (strategy === "api") return tryApi("asked for");
  if (git.version === null) {
    if (strategy === "clone") return { ok: false, reason: `${target.label}: the clone source needs git, and git was not found on PATH` };
    warnings.push(`git was not found on PATH, so ${target.label} is read through the GitHub API.`);
    log("warning", warnings[0] as string, { strategy: "api", reason: "git_missing" });
    return tryApi("git is not installed");
  }
  const started = performance.now();
  const { CloneSource, SourceFetchError } = await import("./clone.js");
  try {
    const source = await CloneSource.open({
      url: target.cloneUrl,
      ref: target.ref,
      subdir: target.subdir,
      // The token is GitHub's: a repository on another host never sees it.
      token: target.repo !== null ? options.token : null,
      timeoutMs: options.timeoutMs,
      minFreeBytes: options.minFreeBytes,
      diskSpace: options.diskSpace,
      tempDir: options.tempDir,
      env: options.env,
    });
    log("debug", `partial clone of ${target.label} took ${Math.round(performance.now() - started)} ms`, { bytesFetched: source.bytesFetched, commit: source.commit });
    return { ok: true, source, reason: strategy === "clone" ? "asked for" : `no files on disk, and git ${git.version} can fetch only what the scan reads`, warnings };
  } catch (error) {
    const failure = error instanceof SourceFetchError ? error.failure : "fetch_failed";
    const message = scrub(error instanceof Error ? error.message : String(error));
    if (strategy === "clone") return { ok: false, reason: `${target.label}: the partial clone failed: ${message}` };
    const why = failure === "disk_space" ? `there is too little disk space (${message})` : failure === "timeout" ? `the partial clone ${message.replace(/^git /, "")}` : `the partial clone failed (${message})`;
    const warning = `${capitalize(why)}, so ${target.label} is read through the GitHub API.`;
    warnings.push(warning);
    log("warning", warning, { strategy: "api", reason: failure });
    return tryApi(why);
  }
}

/** A repository on the GitHub server, by `owner/name`. */
export function githubTarget(repo: string, ref: string | null, options: Pick<RemoteOptions, "serverUrl">, subdir: string | null = null): RemoteTarget {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) throw new Error(`${JSON.stringify(repo)} is not a repository: write owner/name`);
  const server = (options.serverUrl || process.env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const name = repo.replace(/\.git$/, "");
  return { cloneUrl: `${server}/${name}.git`, repo: name, ref, subdir, label: ref ? `${name}@${ref}` : name };
}

function holdsFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => name !== ".git");
  } catch {
    return false;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
