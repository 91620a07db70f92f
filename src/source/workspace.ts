import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { NEVER_WALKED, type FileListing, type FileSource, type ReadResult } from "./types.js";

/** Deeper than this, a tree is almost certainly a link maze rather than a repository. */
const MAX_DEPTH = 64;

/**
 * Files already on disk: a checkout in the Action, any folder in the CLI. Synchronous file
 * system calls are used on purpose: for thousands of small files they beat the thread pool.
 */
export class WorkspaceSource implements FileSource {
  readonly strategy = "workspace";

  /** Links to files outside the root: listed, so their artifact is reported, but never read. */
  private readonly outside = new Set<string>();

  constructor(readonly root: string) {}

  async listFiles(): Promise<FileListing> {
    const files: string[] = [];
    const warnings: string[] = [];
    const ancestors = new Set<string>();
    // Real paths of the folders being walked: a link back to one of them is a loop. A plain
    // folder's real path is its parent's plus its name, so only links cost a system call.
    const walk = (dir: string, real: string, rel: string, depth: number): void => {
      if (ancestors.has(real)) {
        warnings.push(`${rel}: symlink loop, not followed`);
        return;
      }
      if (depth > MAX_DEPTH) {
        warnings.push(`${rel}: nested deeper than ${MAX_DEPTH} folders, not walked`);
        return;
      }
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        warnings.push(`${rel || "."}: cannot be read (${describeFsError(error)})`);
        return;
      }
      ancestors.add(real);
      for (const entry of entries) {
        const name = entry.name;
        if (NEVER_WALKED.has(name)) continue;
        const childRel = rel ? `${rel}/${name}` : name;
        if (entry.isDirectory()) {
          walk(join(dir, name), join(real, name), childRel, depth + 1);
        } else if (entry.isFile()) {
          files.push(childRel);
        } else if (entry.isSymbolicLink()) {
          const target = join(dir, name);
          let stats;
          let targetReal: string;
          try {
            stats = statSync(target);
            targetReal = realpathSync.native(target);
          } catch {
            // A dangling link is listed: reading it later gives the artifact a clear io_error.
            files.push(childRel);
            continue;
          }
          // A pull request can add a link to any file on the runner; what it points at must not
          // reach a finding, a log or a check run.
          const inside = isWithinFolder(targetReal, rootReal);
          if (stats.isDirectory()) {
            if (inside) walk(target, targetReal, childRel, depth + 1);
            else warnings.push(`${childRel}: a symlink to a folder outside the repository, not followed`);
          } else if (stats.isFile()) {
            files.push(childRel);
            if (!inside) this.outside.add(childRel);
          }
        }
      }
      ancestors.delete(real);
    };
    let rootReal: string;
    try {
      rootReal = realpathSync.native(this.root);
    } catch (error) {
      throw new Error(`${this.root} cannot be read (${describeFsError(error)})`, { cause: error });
    }
    walk(this.root, rootReal, "", 0);
    files.sort(comparePaths);
    return { files, warnings };
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    if (this.outside.has(path)) return { ok: false, code: "io_error", message: "it is a symlink to a file outside the repository, which skilldex does not read" };
    let fd: number | undefined;
    try {
      fd = openSync(join(this.root, path), "r");
      const size = fstatSync(fd).size;
      if (size > maxBytes) return { ok: false, code: "too_large", size };
      const bytes = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, bytes, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      return { ok: true, bytes: bytes.subarray(0, read) };
    } catch (error) {
      return { ok: false, code: "io_error", message: describeFsError(error), missing: (error as NodeJS.ErrnoException).code === "ENOENT" };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** Whether a real path is a folder or lies below it. */
export function isWithinFolder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

/** Plain code-unit order, so that every source sorts alike whatever the locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file (a dangling symlink?)";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "symlink loop";
    case "EISDIR":
      return "is a folder";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
