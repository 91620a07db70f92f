import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent } from "node:fs";
import { normalize, sep } from "node:path";
import { escapeControls } from "../parse/text.js";
import { NEVER_WALKED, type FileListing, type ReadResult } from "./types.js";

/** Deeper than this, a tree is almost certainly a link maze rather than a repository. */
const MAX_DEPTH = 64;

/** A folder's files as the workspace lists them, with what reading them later needs to know. */
export interface TreeListing extends FileListing {
  /** Links to files outside the root: listed, so their artifact is reported, but never read. */
  outside: Set<string>;
  /** Files whose path is not valid UTF-8, by the name they are listed under: read by their bytes. */
  rawPaths: Map<string, Buffer>;
}

/**
 * Every file below `root`, sorted, `.git` and `node_modules` left out, links followed only inside
 * the root. Synchronous file system calls on purpose: for thousands of small folders they beat the
 * thread pool.
 */
export function listTree(root: string): TreeListing {
  const files: string[] = [];
  const outside = new Set<string>();
  const rawPaths = new Map<string, Buffer>();
  const warnings: string[] = [];
  const ancestors = new Set<string>();
  const followLink = (child: string | Buffer, childRel: string, depth: number): void => {
    let stats;
    let targetReal: string;
    try {
      stats = statSync(child);
      targetReal = realpathSync.native(child);
    } catch {
      // A dangling link is listed: reading it later gives the artifact a clear io_error.
      files.push(childRel);
      if (typeof child !== "string") rawPaths.set(childRel, child);
      return;
    }
    // A pull request can add a link to any file on the runner; what it points at must not
    // reach a finding, a log or a check run.
    const inside = isWithinFolder(targetReal, rootReal);
    if (stats.isDirectory()) {
      if (inside) walk(child, targetReal, childRel, depth + 1);
      else warnings.push(`${escapeControls(childRel)}: a symlink to a folder outside the repository, not followed`);
    } else if (stats.isFile()) {
      files.push(childRel);
      if (typeof child !== "string") rawPaths.set(childRel, child);
      if (!inside) outside.add(childRel);
    }
  };
  // Real paths of the folders being walked: a link back to one of them is a loop. A plain
  // folder's real path is its parent's plus its name, so only links cost a system call.
  // A folder reached through a name that is not valid UTF-8 is walked by its bytes.
  const walk = (dir: string | Buffer, real: string, rel: string, depth: number): void => {
    if (ancestors.has(real)) {
      warnings.push(`${escapeControls(rel)}: symlink loop, not followed`);
      return;
    }
    if (depth > MAX_DEPTH) {
      warnings.push(`${escapeControls(rel)}: nested deeper than ${MAX_DEPTH} folders, not walked`);
      return;
    }
    let entries: Dirent[] | null;
    let rawEntries: RawEntry[] = [];
    try {
      entries = typeof dir === "string" ? plainEntries(dir) : null;
      if (entries === null) rawEntries = entriesByBytes(dir);
    } catch (error) {
      warnings.push(`${escapeControls(rel) || "."}: cannot be read (${describeFsError(error)})`);
      return;
    }
    ancestors.add(real);
    const prefix = rel ? `${rel}/` : "";
    // Most folders hold only names that are valid UTF-8: their entries are walked as they come.
    if (entries !== null) {
      for (const entry of entries) {
        const name = entry.name;
        if (NEVER_WALKED.has(name)) continue;
        if (entry.isDirectory()) walk(childPath(dir as string, name), childPath(real, name), prefix + name, depth + 1);
        else if (entry.isFile()) files.push(prefix + name);
        else if (entry.isSymbolicLink()) followLink(childPath(dir as string, name), prefix + name, depth);
      }
      ancestors.delete(real);
      return;
    }
    const listed = new Set<string>();
    for (const { name, raw, entry } of rawEntries) {
      if (NEVER_WALKED.has(name)) continue;
      const childRel = prefix + name;
      let child: string | Buffer;
      if (raw === null && typeof dir === "string") {
        child = childPath(dir, name);
      } else {
        child = Buffer.concat([typeof dir === "string" ? Buffer.from(dir) : dir, SEP, raw ?? Buffer.from(name)]);
        if (raw !== null) {
          if (listed.has(name)) {
            warnings.push(`${escapeControls(prefix)}${describeRawName(raw)}: the name is not valid UTF-8 and reads the same as another name in its folder; not listed`);
            continue;
          }
          warnings.push(`${escapeControls(prefix)}${describeRawName(raw)}: the name is not valid UTF-8; listed as ${escapeControls(childRel)}`);
        }
      }
      listed.add(name);
      if (entry.isDirectory()) {
        walk(child, childPath(real, name), childRel, depth + 1);
      } else if (entry.isFile()) {
        files.push(childRel);
        if (typeof child !== "string") rawPaths.set(childRel, child);
      } else if (entry.isSymbolicLink()) {
        followLink(child, childRel, depth);
      }
    }
    ancestors.delete(real);
  };
  let rootReal: string;
  try {
    rootReal = realpathSync.native(root);
  } catch (error) {
    throw new Error(`${root} cannot be read (${describeFsError(error)})`, { cause: error });
  }
  walk(normalize(root), rootReal, "", 0);
  files.sort(comparePaths);
  return { files, warnings, outside, rawPaths };
}

/** Most files a scan reads are a few kilobytes: one read of this size takes them whole, with no `fstat`. */
const FIRST_READ = 64 * 1024;
let scratch: Buffer | null = null;

/** The bytes of a file on disk, refusing anything larger than `maxBytes` after reading at most its first 64 KiB. */
export function readFromDisk(path: string | Buffer, maxBytes: number): ReadResult {
  const read = readFromDiskTransient(path, maxBytes);
  return read.ok && read.bytes.buffer === scratch?.buffer ? { ok: true, bytes: Buffer.from(read.bytes) } : read;
}

/**
 * `readFromDisk` for a caller done with the bytes before its next read: a small file's bytes are
 * a view of a buffer that the next read reuses.
 */
export function readFromDiskTransient(path: string | Buffer, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    scratch ??= Buffer.allocUnsafeSlow(FIRST_READ);
    const first = readSync(fd, scratch, 0, FIRST_READ, 0);
    // A regular file that gives less than was asked for has ended.
    if (first < FIRST_READ) return first > maxBytes ? { ok: false, code: "too_large", size: first } : { ok: true, bytes: scratch.subarray(0, first) };
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, code: "too_large", size };
    const bytes = Buffer.allocUnsafe(Math.max(size, FIRST_READ));
    scratch.copy(bytes, 0, 0, FIRST_READ);
    let read = FIRST_READ;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
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

const SEP = Buffer.from(sep);

/**
 * `join` for a normalised folder and a name read from it, or a path listed below it, which never
 * holds `.` or `..`: the same path without normalising it again, a fifth of the listing's time.
 */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");

interface RawEntry {
  name: string;
  raw: Buffer | null;
  entry: Dirent | Dirent<Buffer>;
}

/**
 * A folder's entries, or null when a name holds U+FFFD: Node decodes names as UTF-8 and puts
 * U+FFFD for bytes that are not, so such a folder is read again by its bytes.
 */
function plainEntries(dir: string): Dirent[] | null {
  const entries = readdirSync(dir, { withFileTypes: true });
  return entries.some((entry) => entry.name.includes("\ufffd")) ? null : entries;
}

/**
 * A folder's entries by their bytes, each with the name it is listed under: a name that is not
 * valid UTF-8 keeps them (`raw`) to be reached by, and is listed lossily.
 */
function entriesByBytes(dir: string | Buffer): RawEntry[] {
  return readdirSync(dir, { withFileTypes: true, encoding: "buffer" }).map((entry) => {
    try {
      return { name: strictUtf8.decode(entry.name), raw: null, entry };
    } catch {
      return { name: lossyUtf8.decode(entry.name), raw: entry.name, entry };
    }
  });
}

/** A name that is not valid UTF-8, shown with its valid parts as text and every other byte as `\xNN`. */
function describeRawName(raw: Buffer): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const lead = raw[i] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    let text: string | null = null;
    if (length > 0 && i + length <= raw.length) {
      try {
        text = strictUtf8.decode(raw.subarray(i, i + length));
      } catch {
        text = null;
      }
    }
    if (text === null) {
      out += `\\x${lead.toString(16).padStart(2, "0")}`;
      i++;
    } else {
      out += escapeControls(text);
      i += length;
    }
  }
  return out;
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
