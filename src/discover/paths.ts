/** Posix path helpers for root-relative paths, where the root itself is "". */

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function join(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** Whether `path` is `dir` or lies below it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

/**
 * The files below a folder, from a listing sorted in code-unit order, where every path with a
 * given prefix forms one contiguous run: found by bisection, so each call costs only its output.
 */
export function filesUnder(sorted: readonly string[], dir: string): string[] {
  if (dir === "") return sorted.slice();
  const prefix = `${dir}/`;
  const out: string[] = [];
  let lo = lowerBound(sorted, prefix);
  for (; lo < sorted.length && (sorted[lo] as string).startsWith(prefix); lo++) out.push(sorted[lo] as string);
  return out;
}

/**
 * Normalises a relative path from a manifest (`./plugins/x/`, `plugins//x`) against a folder;
 * null when it climbs out of the root.
 */
export function resolveRelative(fromDir: string, relative: string): string | null {
  const parts = fromDir === "" ? [] : fromDir.split("/");
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

/** Whether any file of a sorted listing lies below a folder. */
export function hasFilesUnder(sorted: readonly string[], dir: string): boolean {
  if (dir === "") return sorted.length > 0;
  const prefix = `${dir}/`;
  const lo = lowerBound(sorted, prefix);
  return lo < sorted.length && (sorted[lo] as string).startsWith(prefix);
}

/** The first index whose path is not below `value` in code-unit order. */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The folder external plugins are mounted under, beside their marketplace: never this repository's files. */
export const EXTERNAL_FOLDER = "@external";

export function isExternalPath(path: string): boolean {
  return path.split("/").includes(EXTERNAL_FOLDER);
}
