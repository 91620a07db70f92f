import type { YAMLMap} from "yaml";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, YAMLSeq } from "yaml";
import { KEY_SYNTAX } from "./resolve.js";
import { PROFILES, type Profile } from "../model.js";

/** Where skip preferences live, relative to the repository root. */
export const SKIP_FILE_PATH = ".github/skilldex.yml";

export interface SkipEntry {
  key: string;
  reason: string | null;
  by: string | null;
  at: string | null;
  ref: string | null;
}

export interface SkilldexConfig {
  profile: Profile | null;
  exclude: string[];
  /** The feature flag: false ignores `skip` and refuses commands. */
  skipPreferences: boolean;
  skip: SkipEntry[];
}

export const DEFAULT_CONFIG: SkilldexConfig = { profile: null, exclude: [], skipPreferences: true, skip: [] };

/** A skip file that cannot be used, with the place to fix. */
export class SkipFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = "SkipFileError";
  }
}

const KNOWN_KEYS = ["profile", "exclude", "skip-preferences", "skip"];
const ENTRY_KEYS = ["key", "reason", "by", "at", "ref"];
const KEY_PATTERN = KEY_SYNTAX;

/** Parses and validates the skip file; an empty file is the default configuration. */
export function parseSkipFile(text: string, file = SKIP_FILE_PATH): SkilldexConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (offset: number, problem: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new SkipFileError(file, line, col, problem);
  };
  const at = (node: unknown): number => (node as Node | null | undefined)?.range?.[0] ?? 0;
  const firstError = doc.errors[0];
  if (firstError) fail(firstError.pos[0], `not valid YAML: ${firstError.message.split("\n")[0]}`);
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { ...DEFAULT_CONFIG, skip: [], exclude: [] };
  if (!isMap(contents)) return fail(at(contents), "the file must be a mapping of settings (profile, exclude, skip-preferences, skip)");

  const config: SkilldexConfig = { profile: null, exclude: [], skipPreferences: true, skip: [] };
  for (const pair of contents.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const value = pair.value as Node | null;
    if (!KNOWN_KEYS.includes(key)) {
      fail(at(keyNode), `unknown setting ${JSON.stringify(key)}; the settings are ${KNOWN_KEYS.join(", ")}`);
    }
    if (key === "profile") {
      const profile = isScalar(value) ? value.value : undefined;
      if (typeof profile !== "string" || !PROFILES.includes(profile as Profile)) {
        fail(at(value ?? keyNode), `profile must be one of ${PROFILES.join(", ")}`);
      }
      config.profile = profile as Profile;
    } else if (key === "skip-preferences") {
      if (!isScalar(value) || typeof value.value !== "boolean") fail(at(value ?? keyNode), "skip-preferences must be true or false");
      config.skipPreferences = (value as { value: boolean }).value;
    } else if (key === "exclude") {
      if (value === null) continue;
      if (!isSeq(value)) fail(at(value), "exclude must be a list of glob patterns, such as [\"archive/**\"]");
      for (const item of (value as YAMLSeq).items) {
        if (!isScalar(item) || typeof item.value !== "string" || item.value === "") fail(at(item), "each exclude pattern must be non-empty text");
        config.exclude.push((item as { value: string }).value);
      }
    } else if (key === "skip") {
      if (value === null) continue;
      if (!isSeq(value)) fail(at(value), "skip must be a list of entries, each with a key");
      for (const item of (value as YAMLSeq).items) config.skip.push(parseEntry(item as Node, fail, at));
    }
  }
  return config;
}

function parseEntry(item: Node, fail: (offset: number, problem: string) => never, at: (node: unknown) => number): SkipEntry {
  if (isScalar(item) && typeof item.value === "string") {
    // A bare key is allowed for people writing the file by hand: `- skill:legacy-pdf`.
    if (!KEY_PATTERN.test(item.value)) fail(at(item), `${JSON.stringify(item.value)} is not an artifact key such as skill:legacy-pdf`);
    return { key: item.value, reason: null, by: null, at: null, ref: null };
  }
  if (!isMap(item)) return fail(at(item), "each skip entry must be a mapping with a key, such as {key: skill:legacy-pdf, reason: ...}");
  const entry: SkipEntry = { key: "", reason: null, by: null, at: null, ref: null };
  for (const pair of item.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!ENTRY_KEYS.includes(name)) fail(at(pair.key), `unknown skip entry field ${JSON.stringify(name)}; the fields are ${ENTRY_KEYS.join(", ")}`);
    const value = pair.value as Node | null;
    const scalar = isScalar(value) ? value.value : value === null ? null : undefined;
    if (scalar === undefined || (scalar !== null && typeof scalar === "object")) fail(at(value), `${name} must be text`);
    const text = scalar === null ? null : scalar instanceof Date ? scalar.toISOString() : String(scalar);
    (entry as unknown as Record<string, string | null>)[name] = text;
  }
  if (!entry.key) fail(at(item), "this skip entry has no key");
  if (!KEY_PATTERN.test(entry.key)) fail(at(item), `${JSON.stringify(entry.key)} is not an artifact key such as skill:legacy-pdf`);
  return entry;
}

/** The header a new skip file starts with. */
export const NEW_SKIP_FILE_HEADER = [
  "# skilldex settings and skip preferences.",
  "# Edit by hand or comment `/skip <key> <reason>` on a pull request; see docs/guides/skip-preferences.md.",
].join("\n");

export interface EditResult {
  text: string;
  /** False when the file already said so: nothing to write, nothing to commit. */
  changed: boolean;
}

/**
 * Adds a skip entry, or updates the reason of an existing one, keeping every comment and the
 * order of keys. `text` null means the file does not exist yet.
 */
export function addSkip(text: string | null, entry: SkipEntry): EditResult {
  const source = text ?? `${NEW_SKIP_FILE_HEADER}\n`;
  parseSkipFile(source); // refuse to edit a file we could not read back
  const doc = parseDocument(source);
  const seq = ensureSkipSequence(doc);
  const existing = seq.items.find((item) => entryKey(item) === entry.key);
  if (existing) return { text: source, changed: false };
  const map = doc.createNode(compactEntry(entry)) as YAMLMap;
  seq.items.push(map);
  return { text: doc.toString({ lineWidth: 0 }), changed: true };
}

/** Removes every entry for a key; unchanged when the key was not skipped. */
export function removeSkip(text: string | null, key: string): EditResult {
  if (text === null) return { text: "", changed: false };
  parseSkipFile(text);
  const doc = parseDocument(text);
  const seq = doc.get("skip", true);
  if (!isSeq(seq)) return { text, changed: false };
  const before = seq.items.length;
  seq.items = seq.items.filter((item) => entryKey(item) !== key);
  if (seq.items.length === before) return { text, changed: false };
  return { text: doc.toString({ lineWidth: 0 }), changed: true };
}

function entryKey(item: unknown): string | null {
  if (isScalar(item)) return typeof item.value === "string" ? item.value : null;
  if (isMap(item)) {
    const key = item.get("key");
    return typeof key === "string" ? key : null;
  }
  return null;
}

function ensureSkipSequence(doc: Document): YAMLSeq {
  if (!isMap(doc.contents)) {
    const header = doc.commentBefore;
    doc.contents = doc.createNode({}) as YAMLMap;
    doc.commentBefore = header;
  }
  const current = doc.get("skip", true);
  if (isSeq(current)) {
    // A flow sequence (`skip: []`) would put the new entry on one line; block style reads better.
    current.flow = false;
    return current;
  }
  const seq = new YAMLSeq();
  doc.set("skip", seq);
  return seq;
}

function compactEntry(entry: SkipEntry): Record<string, string> {
  const out: Record<string, string> = { key: entry.key };
  if (entry.reason) out.reason = entry.reason;
  if (entry.by) out.by = entry.by;
  if (entry.at) out.at = entry.at;
  if (entry.ref) out.ref = entry.ref;
  return out;
}
