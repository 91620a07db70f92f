/** Where the files of a scan come from. Paths are relative to the root, with `/` separators. */
export interface FileSource {
  /** A short name for reports and logs: `workspace`, `clone`, `api`. */
  readonly strategy: string;
  /** Every file below the root, sorted, with `.git` and `node_modules` left out. */
  listFiles(): Promise<FileListing>;
  /** The bytes of one file, refusing anything larger than `maxBytes` without reading it. */
  readFile(path: string, maxBytes: number): Promise<ReadResult>;
}

export interface FileListing {
  files: string[];
  /** Folders that could not be walked, and why: a symlink loop, a permission error. */
  warnings: string[];
}

export type ReadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; code: "too_large"; size: number }
  | { ok: false; code: "io_error"; message: string };

/** Folders no walk ever enters. */
export const NEVER_WALKED = new Set([".git", "node_modules"]);
