import { availableParallelism } from "node:os";
import { compareWithBase, readBlob, resolveCommit, type RemoteGitOptions } from "../git.js";
import { childPath, listTree, readFromDisk, readFromDiskTransient } from "./disk.js";
import { ReadAhead } from "./read-ahead.js";
import { decodeRead, type DecodedRead, type FileListing, type FileSource, type ReadResult, type SourceComparison } from "./types.js";

export { comparePaths, describeFsError, isWithinFolder } from "./disk.js";

/**
 * From this many listed files on, the files the scan will read are read on a second thread while
 * the first parses and judges what has arrived: below it, starting the thread costs more than it saves.
 */
export const READ_AHEAD_MIN_FILES = 2000;

/**
 * The second thread pays only where a core is free for it: on two cores V8's own garbage
 * collection threads keep the second one busy, and a scan of the largest public marketplace took
 * as long with the thread as without it (0.96 to 1.02 of the time).
 */
function readAheadDefault(): number {
  return availableParallelism() > 2 ? READ_AHEAD_MIN_FILES : Infinity;
}

export interface WorkspaceOptions {
  /** The listing size from which reads run ahead on a second thread; `Infinity` never starts one. By default 2,000 on a machine of more than two cores, never on two. */
  readAheadFrom?: number;
}

/** Files already on disk: a checkout in the Action, any folder in the CLI. */
export class WorkspaceSource implements FileSource {
  readonly strategy = "workspace";

  /** Links to files outside the root: listed, so their artifact is reported, but never read. */
  private outside = new Set<string>();
  /** Files whose path is not valid UTF-8, by the name they are listed under: read by their bytes. */
  private rawPaths = new Map<string, Buffer>();
  private ahead: ReadAhead | null = null;
  /** Files read and decoded by the reading thread. */
  filesReadAhead = 0;
  private readonly readAheadFrom: number;

  constructor(
    readonly root: string,
    options: WorkspaceOptions = {},
  ) {
    this.readAheadFrom = options.readAheadFrom ?? readAheadDefault();
  }

  /** The files are on disk where they are: the settings file is read from there. */
  get localRoot(): string {
    return this.root;
  }

  async listFiles(): Promise<FileListing> {
    const { files, warnings, outside, rawPaths } = listTree(this.root);
    this.outside = outside;
    this.rawPaths = rawPaths;
    // Started now, the thread is ready by the time discovery says what to read.
    if (files.length >= this.readAheadFrom && !this.ahead) this.ahead = ReadAhead.start();
    return { files, warnings };
  }

  /** The files the scan reads next, in the order it will ask for them: read ahead when a second thread runs. */
  readAhead(paths: readonly string[], maxBytes: number): void {
    if (!this.ahead) return;
    const targets = paths.filter((path) => !this.outside.has(path));
    this.ahead.request(
      targets,
      targets.map((path) => this.fullPath(path)),
      maxBytes,
    );
  }

  async readDecoded(path: string, maxBytes: number): Promise<DecodedRead | null> {
    if (this.outside.has(path)) return null;
    const early = this.ahead ? await this.ahead.take(path, maxBytes) : null;
    if (early) {
      this.filesReadAhead++;
      return early;
    }
    // Decoded at once, the bytes can be a view of a buffer the next read reuses: no copy, no garbage.
    return decodeRead(path, readFromDiskTransient(this.fullPath(path), maxBytes));
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    if (this.outside.has(path)) return { ok: false, code: "io_error", message: "it is a symlink to a file outside the repository, which skilldex does not read" };
    return readFromDisk(this.fullPath(path), maxBytes);
  }

  /** Stops the reading thread, if one runs; files are read on this one afterwards. */
  async dispose(): Promise<void> {
    this.ahead?.stop();
    this.ahead = null;
  }

  private fullPath(path: string): string | Buffer {
    return this.rawPaths.get(path) ?? childPath(this.root, path);
  }

  /**
   * `git ls-tree` and `git diff` of the repository the root lies in, against the base; the root
   * may be a sub-folder of it. A base that names no commit fails here, before any other work.
   */
  async compareWithBase(base: string): Promise<SourceComparison> {
    const sha = await resolveCommit(this.root, base);
    const { atBase, changed } = await compareWithBase(this.root, sha);
    // `<commit>:./<path>` names a file of the commit relative to the root, where git runs.
    return { atBase, changed, readAtBase: (path, maxBytes) => readObject(this.root, `${sha}:./${path}`, maxBytes, {}) };
  }
}

/** A git object's bytes by any name git gives it (a blob id, `<commit>:./<path>`), as a source answers a read. */
export async function readObject(dir: string, name: string, maxBytes: number, git: RemoteGitOptions): Promise<ReadResult> {
  try {
    const bytes = await readBlob(dir, name, git);
    return bytes.length > maxBytes ? { ok: false, code: "too_large", size: bytes.length } : { ok: true, bytes };
  } catch (error) {
    return { ok: false, code: "io_error", message: error instanceof Error ? error.message : String(error) };
  }
}

