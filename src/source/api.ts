import { GitHubClient, type GitHubClientOptions } from "../github/client.js";
import { GitHubError } from "../github/errors.js";
import { BLOB_BATCH, listTree, readBlob, readBlobTexts, readDefaultBranch, type TreeEntry } from "../github/files.js";
import { MAX_MANIFEST_BYTES } from "../pipeline/read.js";
import { compareEntries, SourceFetchError } from "./clone.js";
import { filesToFetch } from "./needed.js";
import { NEVER_WALKED, type FileListing, type FileSource, type ReadResult, type SourceComparison } from "./types.js";
import { comparePaths } from "./workspace.js";

export interface ApiSourceOptions extends Omit<GitHubClientOptions, "retryAfterBaseValue" | "paceWrites" | "sharedConcurrencyLimit"> {
  owner: string;
  repo: string;
  /** A branch, a tag or a commit sha; the repository's default branch when absent. */
  ref?: string | null;
  /** List only the files below this folder, with the folder left off their paths. */
  subdir?: string | null;
  /** Milliseconds per second of a retry or rate-limit wait; 1000 except in tests. */
  retryDelayMs?: number;
  /** Blob requests in flight at once; 8 by default. */
  concurrency?: number;
  /**
   * `graphql` fetches up to 50 blobs a request (it needs a token); `rest` one blob a request.
   * With a token, GraphQL by default.
   */
  blobs?: "graphql" | "rest";
  /** Which listed files to fetch ahead of reading; the files a scan reads by default. */
  select?: (files: readonly string[]) => string[];
}

/**
 * One commit of a GitHub repository read through the REST API: one recursive tree listing, then
 * the blobs a scan reads, fetched together as soon as the first file is read (or those that
 * `prefetch` asks for, instead).
 */
export class ApiSource implements FileSource {
  readonly strategy = "api";
  readonly localRoot = null;
  /** Warnings that belong in the report: how the source was chosen, a truncated listing. */
  readonly notes: string[] = [];
  private readonly blobs = new Map<string, Promise<Uint8Array>>();
  /** The blobs that arrived, by sha. */
  private readonly held = new Map<string, Uint8Array>();
  /** Set by dispose(): requests not yet sent are not sent, so a failed run ends at once. */
  private disposed = false;
  /** Whether the files a scan reads are still to be fetched ahead, at the first read. */
  private planned = true;
  /** Blobs asked of the API so far. */
  blobsFetched = 0;
  /** The API's tree listing does not name the root tree here. */
  readonly treeSha = null;

  private constructor(
    private readonly client: GitHubClient,
    private readonly options: ApiSourceOptions,
    private readonly entries: Map<string, TreeEntry>,
    readonly ref: string,
  ) {}

  static async open(options: ApiSourceOptions): Promise<ApiSource> {
    // Reads only: the one-write-a-second pacing would space GraphQL queries too. Its requests are
    // bounded here (`concurrency`), so the process-wide ten in flight would only couple repositories.
    const client = new GitHubClient({ ...options, ...(options.retryDelayMs === undefined ? {} : { retryAfterBaseValue: options.retryDelayMs }), paceWrites: false, sharedConcurrencyLimit: false });
    try {
      const ref = options.ref || (await readDefaultBranch(client.repository));
      const { entries, truncated } = await listFiles(client, options, ref);
      if (options.subdir && entries.size === 0) throw new SourceFetchError(`${options.subdir} holds no files at ${ref}`, "fetch_failed");
      const source = new ApiSource(client, options, entries, ref);
      if (truncated) source.notes.push(`The API truncated the tree listing of ${options.owner}/${options.repo} (over 100,000 files or 7 MB): files past the cut are missing from this scan; the clone source has no such limit.`);
      return source;
    } catch (error) {
      if (error instanceof SourceFetchError) throw error;
      throw new SourceFetchError(error instanceof Error ? error.message : String(error), "fetch_failed");
    }
  }

  get apiCalls(): number {
    return this.client.requests;
  }

  get bytesFetched(): number {
    return this.client.bytes;
  }

  async listFiles(): Promise<FileListing> {
    return { files: [...this.entries.keys()].sort(comparePaths), warnings: [...this.notes] };
  }

  /** The ref when it is a commit sha, as the App asks for one. */
  get commitSha(): string | null {
    return /^[0-9a-f]{40}$/i.test(this.ref) ? this.ref : null;
  }

  blobSha(path: string): string | null {
    return this.entries.get(path)?.sha ?? null;
  }

  heldBlob(sha: string): Uint8Array | undefined {
    return this.held.get(sha);
  }

  /** Fetches these files' blobs in batches, the `known` ones taken as given; what the scan would have fetched ahead is not. */
  async prefetch(paths: readonly string[], known: ReadonlyMap<string, Uint8Array> = new Map()): Promise<void> {
    this.planned = false;
    for (const [sha, bytes] of known) {
      if (this.blobs.has(sha)) continue;
      this.blobs.set(sha, Promise.resolve(bytes));
      this.held.set(sha, bytes);
    }
    await this.fetchAhead(paths.filter((p) => {
      const sha = this.entries.get(p)?.sha;
      return sha !== undefined && !this.blobs.has(sha);
    }));
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    if (this.planned) {
      this.planned = false;
      void this.fetchAhead((this.options.select ?? filesToFetch)([...this.entries.keys()].sort(comparePaths)));
    }
    const entry = this.entries.get(path);
    if (!entry) return { ok: false, code: "io_error", message: "no such file in the fetched commit", missing: true };
    // The listing gives sizes, so a file too large is refused without fetching it.
    if (entry.size > maxBytes) return { ok: false, code: "too_large", size: entry.size };
    try {
      const bytes = await this.blob(entry);
      if (bytes.length > maxBytes) return { ok: false, code: "too_large", size: bytes.length };
      return { ok: true, bytes };
    } catch (error) {
      return { ok: false, code: "io_error", message: error instanceof Error ? error.message : String(error) };
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** Compares blob ids with the base commit's tree: one more call. */
  async compareWithBase(base: string): Promise<SourceComparison> {
    const { entries } = await listFiles(this.client, this.options, base);
    return compareEntries(new Map([...entries].map(([path, item]) => [path, item.sha])), this.entries);
  }

  private blob(entry: TreeEntry): Promise<Uint8Array> {
    let pending = this.blobs.get(entry.sha);
    if (!pending) {
      this.blobsFetched++;
      pending = readBlob(this.client.repository, entry.sha, entry.path);
      pending.then((bytes) => this.held.set(entry.sha, bytes), () => undefined);
      this.blobs.set(entry.sha, pending);
    }
    return pending;
  }

  /** Fetches these files, a bounded number of requests at a time; settled when every request has been. */
  private fetchAhead(wanted: readonly string[]): Promise<void> {
    const items = [...new Map(wanted.map((p) => this.entries.get(p) as TreeEntry).filter((e) => e.size <= MAX_MANIFEST_BYTES).map((e) => [e.sha, e])).values()];
    const useGraphql = (this.options.blobs ?? (this.options.token ? "graphql" : "rest")) === "graphql";
    const tasks: (() => Promise<void>)[] = [];
    if (useGraphql) {
      for (let i = 0; i < items.length; i += BLOB_BATCH) {
        const batch = items.slice(i, i + BLOB_BATCH);
        const settle = new Map<string, { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }>();
        for (const item of batch) {
          const pending = new Promise<Uint8Array>((resolve, reject) => settle.set(item.sha, { resolve, reject }));
          // A failure surfaces when the file is read; until then it must not count as unhandled.
          pending.then((bytes) => this.held.set(item.sha, bytes), () => undefined);
          this.blobs.set(item.sha, pending);
        }
        this.blobsFetched += batch.length;
        tasks.push(() => this.fetchBatch(batch, settle));
      }
    } else {
      for (const item of items) tasks.push(() => this.blob(item).then(() => undefined, () => undefined));
    }
    return runLimited(
      tasks.map((task) => () => (this.disposed ? Promise.resolve() : task())),
      this.options.concurrency ?? 8,
    );
  }

  /** One GraphQL request for many blobs; any blob it cannot give as text is fetched through REST. */
  private async fetchBatch(batch: TreeEntry[], settle: Map<string, { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }>): Promise<void> {
    // A batch GraphQL refuses leaves each blob to REST, whose error is the file's own.
    const texts = await readBlobTexts(this.client.repository, batch).catch(() => new Map<string, Uint8Array>());
    for (const item of batch) {
      const { resolve, reject } = settle.get(item.sha) as { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void };
      const bytes = texts.get(item.sha);
      if (bytes) resolve(bytes);
      else readBlob(this.client.repository, item.sha, item.path).then(resolve, reject);
    }
  }
}

/** The blobs of a ref's tree below the subdir, by path relative to it, leaving out what is never walked. */
async function listFiles(client: GitHubClient, options: ApiSourceOptions, ref: string): Promise<{ entries: Map<string, TreeEntry>; truncated: boolean }> {
  let tree: Awaited<ReturnType<typeof listTree>>;
  try {
    tree = await listTree(client.repository, ref);
  } catch (error) {
    if (error instanceof GitHubError && (error.status === 404 || error.status === 422)) {
      throw new SourceFetchError(`${options.owner}/${options.repo} has no commit, branch or tag ${ref} that this token can see (${error.message})`, "fetch_failed");
    }
    throw error;
  }
  const prefix = options.subdir ? `${options.subdir.replace(/^\/+|\/+$/g, "")}/` : "";
  const entries = new Map<string, TreeEntry>();
  for (const item of tree.entries) {
    if (!item.path.startsWith(prefix)) continue;
    const path = item.path.slice(prefix.length);
    if (path.split("/").some((part) => NEVER_WALKED.has(part))) continue;
    entries.set(path, item);
  }
  return { entries, truncated: tree.truncated };
}

/** Runs tasks with at most `limit` in flight. */
export async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
}
