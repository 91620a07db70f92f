import { dirname, isWithin } from "../discover/paths.js";
import { ARTIFACT_TYPES } from "../model.js";

export interface Addressable {
  key: string;
  path: string;
}

export interface Resolution {
  /** The keys the input names: one for a key, every artifact below it for a folder. */
  keys: string[];
  /** The closest keys or paths when nothing matched; every candidate when a bare name was ambiguous. */
  suggestions: string[];
  /** A bare name that several keys share (by their whole name or their last segment): the key must be given. */
  ambiguous?: boolean;
}

/**
 * A type, a colon and a name. Names come from paths, so they may hold spaces but not start or
 * end with one, and no control character or line or paragraph separator: the skip file, a
 * comment and a terminal line could not hold the key as it is.
 */
export const KEY_SYNTAX = keySyntax(ARTIFACT_TYPES);

/** The key syntax for these types (`output-style` and the like included). */
export function keySyntax(types: readonly string[]): RegExp {
  const names = types.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`^(?:${names}):[^\\s\\p{Cc}](?:[^\\p{Cc}\\p{Zl}\\p{Zp}]*[^\\s\\p{Cc}])?$`, "u");
}

/** The input as a key is compared: trimmed, and its type, a keyword, in lower case (`Skill:PDF` is `skill:PDF`). */
export function normalTarget(input: string): string {
  return input.trim().replace(/^([A-Za-z][A-Za-z-]*):/, (prefix) => (KEY_SYNTAX.test(`${prefix.toLowerCase()}x`) ? prefix.toLowerCase() : prefix));
}

/** `SKILL.md` (or `skill.md`) names the skill of its folder. */
const SKILL_FILE = /(^|\/)(SKILL|skill)\.md$/;

/**
 * What `/skip X` or `skilldex skip X` means: X is a key (`skill:legacy-pdf`) or a path, and a
 * path to a folder covers every artifact below it; a path to a `SKILL.md` means its skill; a
 * bare name means the one key whose name, or whose name's last segment, it is.
 */
export function resolveTargets(input: string, artifacts: readonly Addressable[]): Resolution {
  const wanted = normalTarget(input);
  if (KEY_SYNTAX.test(wanted)) {
    const lower = wanted.toLowerCase();
    const exact = artifacts.filter((a) => a.key === wanted);
    const match = exact.length > 0 ? exact : artifacts.filter((a) => a.key.toLowerCase() === lower);
    if (match.length > 0) return { keys: unique(match.map((a) => a.key)), suggestions: [] };
    return { keys: [], suggestions: closest(wanted, unique(artifacts.map((a) => a.key))) };
  }
  const path = wanted.replace(/^\.\/+/, "").replace(/\/+$/, "");
  const covered = artifacts.filter((a) => path !== "" && (isWithin(a.path, path) || a.path === path));
  if (covered.length > 0) return { keys: unique(covered.map((a) => a.key)), suggestions: [] };
  if (SKILL_FILE.test(path)) {
    const folder = dirname(path);
    const skill = artifacts.filter((a) => a.path === folder && a.key.startsWith("skill:"));
    if (skill.length > 0) return { keys: unique(skill.map((a) => a.key)), suggestions: [] };
  }
  // A bare name is a common shorthand: `/skip postgresql` for `skill:database-design/postgresql`
  // when no other key has that name or ends in that segment.
  const byName = unique(artifacts.filter((a) => namedBy(a.key, path)).map((a) => a.key));
  // Several files can hold one key (duplicates): the name still means that one key.
  if (byName.length === 1) return { keys: byName, suggestions: [] };
  if (byName.length > 1) return { keys: [], suggestions: byName, ambiguous: true };
  const pool = unique([...artifacts.map((a) => a.key), ...artifacts.map((a) => a.path)]);
  return { keys: [], suggestions: closest(wanted, pool) };
}

function namedBy(key: string, name: string): boolean {
  const keyName = key.slice(key.indexOf(":") + 1);
  return keyName === name || (!name.includes("/") && keyName.slice(keyName.lastIndexOf("/") + 1) === name);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Up to `limit` candidates nearest by edit distance, nearest first. */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const scored = candidates.map((c) => ({ c, d: editDistance(input.toLowerCase(), c.toLowerCase()) }));
  const cutoff = Math.max(3, Math.floor(input.length / 2));
  return scored
    .filter((s) => s.d <= cutoff)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.c);
}

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const curr = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr.push(Math.min((prev[j] as number) + 1, (curr[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = curr;
  }
  return prev[b.length] as number;
}
