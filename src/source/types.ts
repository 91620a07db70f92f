import { decodeFile, type DecodedFile } from "../parse/decode-file.js";

/** Where the files of a scan come from. Paths are relative to the root, with `/` separators. */
export interface FileSource {
  /** A short name for reports and logs: `workspace`, `clone`, `api`. */
  readonly strategy: string;
  /** Every file below the root, sorted, with `.git` and `node_modules` left out. */
  listFiles(): Promise<FileListing>;
  /** The bytes of one file, refusing anything larger than `maxBytes` without reading it. */
  readFile(path: string, maxBytes: number): Promise<ReadResult>;
  /**
   * The files the scan will read next, in the order it will ask for them, each under `maxBytes`:
   * a source that can read them ahead, while the scan works on those already read, starts now.
   */
  readAhead?(paths: readonly string[], maxBytes: number): void;
  /**
   * A file read and decoded for its parser, where the source does that better than `readFile` and
   * decoding (read ahead on another thread, or into a buffer it reuses); null when the caller must
   * read it itself.
   */
  readDecoded?(path: string, maxBytes: number): Promise<DecodedRead | null>;
  /** Requests made to the GitHub API so far (the report's `apiCalls`); absent when none can be. */
  readonly apiCalls?: number;
  /** Bytes received over the network so far; absent for files already on disk. */
  readonly bytesFetched?: number;
  /** A folder holding the fetched files, when there is one (a sparse work tree); config files are read from it. */
  readonly localRoot?: string | null;
  /** What changed against a base commit (a branch, tag or sha), each source by its own means. */
  compareWithBase(base: string): Promise<SourceComparison>;
  /** Removes temporary files and folders; the source cannot be read afterwards. */
  dispose?(): Promise<void>;
}

/** The same shape as git's comparison: files at the base, and files that differ from it. */
export interface SourceComparison {
  atBase: Set<string>;
  changed: Set<string>;
  /**
   * A file's bytes as they were at the base, for files that changed since; absent when the
   * source cannot reach them, and a caller then reads the current ones.
   */
  readAtBase?(path: string, maxBytes: number): Promise<ReadResult>;
}

export interface FileListing {
  files: string[];
  /** Folders that could not be walked, and why: a symlink loop, a permission error. */
  warnings: string[];
}

export type ReadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; code: "too_large"; size: number }
  | { ok: false; code: "io_error"; message: string; /** The file does not exist at all. */ missing?: boolean };

/** A file read and decoded for its parser, or why it could not be read. */
export type DecodedRead = { ok: true; file: DecodedFile } | Exclude<ReadResult, { ok: true }>;

/** A read decoded for its parser; a failure stays as it was. */
export function decodeRead(path: string, read: ReadResult): DecodedRead {
  return read.ok ? { ok: true, file: decodeFile(path, read.bytes) } : read;
}

/** Folders no walk ever enters. */
export const NEVER_WALKED = new Set([".git", "node_modules"]);
