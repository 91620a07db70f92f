import { tmpdir } from "node:os";
import { Redis } from "ioredis";
import type { Logger as PinoLogger, ProbotOctokit } from "probot";
import { MemoryCacheStore, RedisCacheStore, type CacheStore } from "../src/cache/store.js";
import { readFileAtRef, type GitHubRepository } from "../src/github/files.js";
import type { Profile, Report } from "../src/model.js";
import { scanFromSource } from "../src/pipeline/from-source.js";
import { parseSkipFile, SKIP_FILE_PATH, type SkilldexConfig } from "../src/skips/index.js";
import { sourceLog } from "../src/source/open.js";
import type { SelectSourceOptions, Strategy } from "../src/source/select.js";
import { installationFetch } from "./octokit.js";
import type { Logger } from "../src/telemetry/log.js";

/**
 * One commit scanned as the Action scans it without a checkout: the settings file read at the
 * commit, then the files fetched by the partial clone when git is there (the API otherwise) with
 * the installation's token, through the same pipeline.
 */

export type InstallationOctokit = InstanceType<typeof ProbotOctokit>;

export interface CommitToScan {
  owner: string;
  repo: string;
  headSha: string;
  base: string | null;
  profile: Profile | null;
  /** The settings file at the commit as read when the scan was queued (null: there is none); read at the commit when absent. */
  settingsFile?: string | null;
}

export interface ScanSettings {
  /** SCAN_SOURCE: `auto` (the partial clone when git runs, the API otherwise), `clone` or `api`. */
  source: Exclude<Strategy, "workspace">;
  /** Where git clones from: GHE_PROTOCOL://GHE_HOST, or github.com. */
  serverUrl: string;
  /** ENABLE_SKIP_PREFERENCES. */
  skipPreferences: boolean;
  env: NodeJS.ProcessEnv;
  /** The content-addressed cache of results the scans share: in this process, or in Redis with REDIS_URL (scanCacheFromEnv). */
  cache?: CacheStore;
}

export interface ScannedCommit {
  report: Report;
  config: SkilldexConfig;
}

/** The repository as src/github/ takes it, read and written with the installation's Octokit. */
export function installationRepository(octokit: InstallationOctokit, owner: string, repo: string): GitHubRepository {
  return { octokit: octokit as unknown as GitHubRepository["octokit"], owner, repo, credentials: "app" };
}

/** What a scan of one commit reads from: its settings (carried or read at the commit) and the source options, with the installation's token. */
export interface CommitSource {
  config: SkilldexConfig;
  select: SelectSourceOptions;
  logger: Logger;
}

/**
 * The settings file at the commit (the one the webhook carried, else read there), and the source
 * options for the partial clone or the API with the installation's token, for git and the API
 * source alike, the API source's requests counted against the installation's budget with its
 * commands' and other scans'. A malformed settings file throws its SkipFileError.
 */
export async function commitSource(octokit: InstallationOctokit, commit: Pick<CommitToScan, "owner" | "repo" | "headSha" | "settingsFile">, settings: ScanSettings, log: PinoLogger): Promise<CommitSource> {
  const repository = installationRepository(octokit, commit.owner, commit.repo);
  const file = commit.settingsFile === undefined ? await readFileAtRef(repository, SKIP_FILE_PATH, commit.headSha) : null;
  const config = parseSkipFile(commit.settingsFile ?? (file ? Buffer.from(file.bytes).toString("utf8") : ""));
  const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
  const logger = coreLogger(log);
  const select: SelectSourceOptions = {
    strategy: settings.source,
    repo: `${commit.owner}/${commit.repo}`,
    ref: commit.headSha,
    token,
    apiUrl: octokit.request.endpoint.DEFAULTS.baseUrl,
    fetch: installationFetch(octokit),
    serverUrl: settings.serverUrl,
    env: settings.env,
    log: sourceLog(logger),
  };
  return { config, select, logger };
}

/** Scans the commit; a malformed settings file throws its SkipFileError, a source that cannot open its SourceOpenError. */
export async function scanCommit(octokit: InstallationOctokit, commit: CommitToScan, settings: ScanSettings, log: PinoLogger): Promise<ScannedCommit> {
  const { config, select, logger } = await commitSource(octokit, commit, settings, log);
  const { report } = await scanFromSource({
    select,
    fallbackRoot: tmpdir(),
    profile: commit.profile,
    base: commit.base,
    config,
    skipPreferences: settings.skipPreferences,
    repoName: commit.repo,
    ...(settings.cache ? { cache: settings.cache } : {}),
    logger,
  });
  return { report, config };
}

/** The core's logger interface over the App's pino logger, so the pipeline's lines carry the delivery's trace id. */
export function coreLogger(log: PinoLogger): Logger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
    child: (fields) => coreLogger(log.child(fields)),
  };
}

/**
 * The result cache of the scans: shared through Redis by every App and worker process when
 * REDIS_URL is set, else this process's own, bounded in memory. A Redis that cannot answer is an
 * empty cache (`onError` hears why), never a failed scan.
 */
export function scanCacheFromEnv(env: NodeJS.ProcessEnv, onError: (error: unknown) => void): CacheStore {
  const url = env.REDIS_URL?.trim();
  if (!url) return new MemoryCacheStore();
  // Without an offline queue a Redis that is down answers at once, and the scan goes on without it.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", onError);
  // The cache's connection never keeps a process alive: the queue's decide when it ends.
  redis.on("connect", () => redis.stream.unref());
  return new RedisCacheStore(redis, { onError });
}

/** ENABLE_SKIP_PREFERENCES: on unless it says false, 0, no or off. */
export function skipPreferencesFromEnv(env: NodeJS.ProcessEnv): boolean {
  return !/^(false|0|no|off)$/i.test((env.ENABLE_SKIP_PREFERENCES ?? "true").trim());
}

/** How scans fetch files, from SCAN_SOURCE, GHE_HOST, GHE_PROTOCOL and ENABLE_SKIP_PREFERENCES. */
export function scanSettingsFromEnv(env: NodeJS.ProcessEnv): ScanSettings {
  return { source: scanSourceFromEnv(env), serverUrl: serverUrlFromEnv(env), skipPreferences: skipPreferencesFromEnv(env), env };
}

/** Where git clones from for probot's GHE_HOST and GHE_PROTOCOL, as probot reaches the API. */
export function serverUrlFromEnv(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com";
}

/** SCAN_SOURCE, `auto` unless it names `clone` or `api`. */
export function scanSourceFromEnv(env: NodeJS.ProcessEnv): ScanSettings["source"] {
  const value = (env.SCAN_SOURCE ?? "").trim();
  return value === "clone" || value === "api" ? value : "auto";
}
