import { rmSync } from "node:fs";
import { mkdtemp, open, readdir, rm, stat, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkoutOnly, fetchAnotherCommit, fetchBlobs, fetchCommitWithoutBlobs, listTreeFiles, readBlobs, type RemoteGitOptions, type TreeEntry } from "../git.js";
import { filesToFetch } from "./needed.js";
import { basicCredential, redact } from "../telemetry/redact.js";
import { NEVER_WALKED, type FileListing, type FileSource, type ReadResult, type SourceComparison } from "./types.js";
import { comparePaths, describeFsError, readObject } from "./workspace.js";

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MIN_FREE_BYTES = 500 * 1024 * 1024;

/** Why fetching files failed, so that the caller can say it and choose another way. */
export type FetchFailure = "git_missing" | "disk_space" | "timeout" | "fetch_failed";

export class SourceFetchError extends Error {
  constructor(
    message: string,
    readonly failure: FetchFailure,
  ) {
    super(message);
    this.name = "SourceFetchError";
  }
}

/** Free bytes in the file system holding `dir`. */
export type DiskSpaceProbe = (dir: string) => Promise<number>;

export const freeDiskSpace: DiskSpaceProbe = async (dir) => {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
};

export interface CloneOptions {
  /** `https://…`, `git://…` or `file://…`. Never put a token in it: pass `token`. */
  url: string;
  /** A branch, a tag or a full commit sha; the remote's HEAD when absent. */
  ref?: string | null;
  /** Sent as an HTTP Authorization header through git's environment, only to the URL's host. */
  token?: string | null;
  /** List only the files below this folder of the repository, with the folder left off their paths. */
  subdir?: string | null;
  /** The whole fetch, from `git init` to the last blob, is killed after this long; 300 s by default. */
  timeoutMs?: number;
  /** Refuse to clone when less than this is free where the clone would go; 500 MB by default. */
  minFreeBytes?: number;
  diskSpace?: DiskSpaceProbe;
  /** Where the temporary clone goes; the system temp folder by default. */
  tempDir?: string;
  /** The environment git runs in (its PATH decides which git runs). */
  env?: NodeJS.ProcessEnv;
  /** Which listed files to fetch; the files a scan reads by default. */
  select?: (files: readonly string[]) => string[];
  /**
   * `objects` (the default) fetches the chosen blobs in one request and reads them from git's
   * object store; `sparse` checks them out into a no-cone sparse work tree (`localRoot`), which
   * costs writing each file: on a slow disk 10,000 small files take seconds.
   */
  checkout?: "objects" | "sparse";
}

/**
 * One commit of a remote repository, fetched as a shallow partial clone: the full listing comes
 * from its trees, and only the blobs of the files a scan reads travel, in one batch, when the
 * first file is read (or in the batches `prefetch` asks for, which replace it).
 */
export class CloneSource implements FileSource {
  readonly strategy = "clone";
  readonly apiCalls = 0;
  /** Warnings that belong in the report: how the source was chosen. */
  readonly notes: string[] = [];
  /** The root tree of the commit. */
  treeSha: string | null = null;
  /** Blobs fetched from the remote so far, in batches or one by one. */
  blobsFetched = 0;
  private disposed = false;
  /** Blobs read from the object store, by id. */
  private loaded = new Map<string, Uint8Array>();
  /** The blobs the scan is expected to read, fetched in one batch at the first read unless `prefetch` comes first. */
  private planned: string[] | null = null;
  private fetching: Promise<void> | null = null;

  private constructor(
    /** The temporary repository; its work tree holds the checked-out files. */
    readonly dir: string,
    readonly commit: string,
    private readonly entries: Map<string, TreeEntry>,
    private readonly checkedOut: Set<string>,
    private readonly prefix: string,
    private readonly git: RemoteGitOptions,
    private readonly timeoutMs: number,
    public bytesFetched: number,
  ) {}

  static async open(options: CloneOptions): Promise<CloneSource> {
    const parent = options.tempDir ?? tmpdir();
    const minFree = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    const free = await (options.diskSpace ?? freeDiskSpace)(parent);
    if (free < minFree) {
      throw new SourceFetchError(`only ${megabytes(free)} free in ${parent}, below the ${megabytes(minFree)} a clone needs`, "disk_space");
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const scrub = (text: string): string => redact(text, [options.token]);
    const git: RemoteGitOptions = { env: options.env, configEnv: authConfig(options.url, options.token), redact: scrub };
    const prefix = options.subdir ? `${options.subdir.replace(/^\/+|\/+$/g, "")}/` : "";
    const dir = await mkdtemp(join(parent, "skilldex-clone-"));
    trackForExit(dir);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(`ran past the ${Math.round(timeoutMs / 1000)} s timeout`), timeoutMs);
    try {
      const run = { ...git, signal: controller.signal };
      const commit = await fetchCommitWithoutBlobs(dir, options.url, options.ref ?? null, run);
      const entries = new Map<string, TreeEntry>();
      for (const entry of await listTreeFiles(dir, commit, run)) {
        if (!entry.path.startsWith(prefix)) continue;
        const path = entry.path.slice(prefix.length);
        if (path.split("/").some((part) => NEVER_WALKED.has(part))) continue;
        entries.set(path, entry);
      }
      if (prefix && entries.size === 0) throw new SourceFetchError(`${options.subdir} holds no files at ${options.ref ?? "HEAD"}`, "fetch_failed");
      const chosen = (options.select ?? filesToFetch)([...entries.keys()].sort(comparePaths));
      if (options.checkout === "sparse") await checkoutOnly(dir, commit, chosen.map((p) => prefix + p), run);
      const source = new CloneSource(dir, commit, entries, options.checkout === "sparse" ? new Set(chosen) : new Set(), prefix, git, timeoutMs, await folderSize(join(dir, ".git", "objects")));
      if (options.checkout !== "sparse") source.planned = [...new Set(chosen.map((p) => (entries.get(p) as TreeEntry).sha))];
      // The commit object is in the clone already: its first line names the tree.
      const commitObject = (await readBlobs(dir, [commit], run)).get(commit);
      source.treeSha = /^tree ([0-9a-f]{40,64})/.exec(commitObject ? Buffer.from(commitObject).toString("utf8") : "")?.[1] ?? null;
      return source;
    } catch (error) {
      await removeFolder(dir);
      if (controller.signal.aborted) throw new SourceFetchError(`git ${String(controller.signal.reason)}`, "timeout");
      if (error instanceof SourceFetchError) throw error;
      const message = scrub(error instanceof Error ? error.message : String(error));
      throw new SourceFetchError(message, /not installed or not on PATH/.test(message) ? "git_missing" : "fetch_failed");
    } finally {
      clearTimeout(timer);
    }
  }

  /** The sparse work tree, when `checkout: "sparse"` made one for the whole repository. */
  get localRoot(): string | null {
    return this.prefix || this.checkedOut.size === 0 ? null : this.dir;
  }

  async listFiles(): Promise<FileListing> {
    return { files: [...this.entries.keys()].sort(comparePaths), warnings: [...this.notes] };
  }

  get commitSha(): string {
    return this.commit;
  }

  blobSha(path: string): string | null {
    return this.entries.get(path)?.sha ?? null;
  }

  heldBlob(sha: string): Uint8Array | undefined {
    return this.loaded.get(sha);
  }

  /** Fetches these files' blobs in one batch, the `known` ones taken as given; the batch planned at open is not fetched. */
  async prefetch(paths: readonly string[], known: ReadonlyMap<string, Uint8Array> = new Map()): Promise<void> {
    this.planned = null;
    await this.fetching;
    for (const [sha, bytes] of known) this.loaded.set(sha, bytes);
    const oids = new Set<string>();
    for (const path of paths) {
      const sha = this.entries.get(path)?.sha;
      if (sha !== undefined && !this.loaded.has(sha)) oids.add(sha);
    }
    await this.fetchBatch([...oids]);
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    if (this.planned) {
      this.fetching = this.fetchBatch(this.planned);
      this.planned = null;
    }
    await this.fetching;
    const entry = this.entries.get(path);
    if (!entry || this.disposed) return { ok: false, code: "io_error", message: "no such file in the fetched commit", missing: !entry };
    const loaded = this.loaded.get(entry.sha);
    if (loaded) return loaded.length > maxBytes ? { ok: false, code: "too_large", size: loaded.length } : { ok: true, bytes: loaded };
    if (this.checkedOut.has(path) && entry.mode !== "120000") {
      const read = await readLocal(join(this.dir, this.prefix + path), maxBytes);
      if (read.ok || read.code === "too_large") return read;
    }
    // A file the scan was not expected to read: its blob is fetched now, on its own.
    return this.fetchBlob(entry.sha, maxBytes);
  }

  /** Compares tree entries with the base commit's, fetched the same way: trees only. */
  async compareWithBase(base: string): Promise<SourceComparison> {
    const run = { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) };
    let baseCommit: string;
    try {
      baseCommit = await fetchAnotherCommit(this.dir, base, run);
    } catch (error) {
      throw new SourceFetchError(`cannot compare with ${base}: ${error instanceof Error ? error.message : String(error)}`, "fetch_failed");
    }
    const atBase = new Map<string, string>();
    for (const entry of await listTreeFiles(this.dir, baseCommit, run)) {
      if (entry.path.startsWith(this.prefix)) atBase.set(entry.path.slice(this.prefix.length), entry.sha);
    }
    return { ...compareEntries(atBase, this.entries), readAtBase: (path, maxBytes) => this.readBaseBlob(atBase.get(path), maxBytes) };
  }

  private async readBaseBlob(sha: string | undefined, maxBytes: number): Promise<ReadResult> {
    if (sha === undefined || this.disposed) return { ok: false, code: "io_error", message: "no such file in the base commit", missing: sha === undefined };
    return this.fetchBlob(sha, maxBytes);
  }

  /** One blob fetched on its own from the promisor remote. */
  private async fetchBlob(sha: string, maxBytes: number): Promise<ReadResult> {
    const read = await readObject(this.dir, sha, maxBytes, { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) });
    if (read.ok) this.bytesFetched += read.bytes.length;
    else if (read.code === "too_large") this.bytesFetched += read.size;
    if (read.ok || read.code === "too_large") this.blobsFetched++;
    return read;
  }

  /** Blobs fetched in one request and read from the object store; bytes counted as what the packs added. */
  private async fetchBatch(oids: readonly string[]): Promise<void> {
    if (oids.length === 0 || this.disposed) return;
    const run = { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) };
    const objects = join(this.dir, ".git", "objects");
    const before = await folderSize(objects);
    try {
      await fetchBlobs(this.dir, oids, run);
      for (const [oid, bytes] of await readBlobs(this.dir, oids, run)) this.loaded.set(oid, bytes);
      this.blobsFetched += oids.length;
    } catch {
      // Each file of the batch is then fetched on its own when read, and says why when it cannot be.
    }
    if (!this.disposed) this.bytesFetched += (await folderSize(objects)) - before;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await removeFolder(this.dir);
  }
}

/** Files at the base, and files added, changed or deleted since: by blob id, so no content is needed. */
export function compareEntries(atBase: Map<string, string>, now: Map<string, { sha: string }>): SourceComparison {
  const changed = new Set<string>();
  for (const [path, entry] of now) if (atBase.get(path) !== entry.sha) changed.add(path);
  for (const path of atBase.keys()) if (!now.has(path)) changed.add(path);
  return { atBase: new Set(atBase.keys()), changed };
}

/**
 * The configuration that authenticates git over HTTP: an extra header scoped to the URL's
 * origin, so a redirect elsewhere never carries it. It travels in the environment, not argv.
 */
function authConfig(url: string, token: string | null | undefined): [string, string][] {
  if (!token || !/^https?:\/\//i.test(url)) return [];
  return [[`http.${new URL(url).origin}/.extraheader`, `AUTHORIZATION: basic ${basicCredential(token)}`]];
}

async function readLocal(file: string, maxBytes: number): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(file, "r");
    const size = (await handle.stat()).size;
    if (size > maxBytes) return { ok: false, code: "too_large", size };
    const bytes = Buffer.alloc(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return { ok: true, bytes: bytes.subarray(0, bytesRead) };
  } catch (error) {
    return { ok: false, code: "io_error", message: describeFsError(error) };
  } finally {
    await handle?.close();
  }
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Retries cover a git process that is still dying after a kill and writing into the folder. */
export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  live.delete(dir);
}

/** Clones not yet removed: a run that ends early (an uncaught error, process.exit) still leaves none behind. */
const live = new Set<string>();
let exitHook = false;

function trackForExit(dir: string): void {
  live.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const d of live) rmSync(d, { recursive: true, force: true });
  });
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
