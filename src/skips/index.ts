import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap, YAMLSeq } from "yaml";
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
    if (!KEY_SYNTAX.test(item.value)) fail(at(item), `${JSON.stringify(item.value)} is not an artifact key such as skill:legacy-pdf`);
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
  if (!KEY_SYNTAX.test(entry.key)) fail(at(item), `${JSON.stringify(entry.key)} is not an artifact key such as skill:legacy-pdf`);
  return entry;
}

/** When a skip was asked, as the skip file writes it: ISO 8601 in UTC, to the second. */
export function skipTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The header a new skip file starts with. */
export const NEW_SKIP_FILE_HEADER = [
  "# skilldex settings and skip preferences.",
  "# Edit by hand, or comment `/skip <key> <reason>` on a pull request where the skilldex App is installed.",
].join("\n");

export interface EditResult {
  text: string;
  /** False when the file already said so: nothing to write, nothing to commit. */
  changed: boolean;
}

/**
 * Adds a skip entry, keeping every comment, the order of keys and the file's own formatting: the
 * new entry is spliced in as text after the last one, so the diff is the entry alone. `text` null
 * means the file does not exist yet.
 */
export function addSkip(text: string | null, entry: SkipEntry): EditResult {
  const source = text ?? `${NEW_SKIP_FILE_HEADER}\n`;
  const before = parseSkipFile(source); // refuse to edit a file we could not read back
  if (before.skip.some((e) => e.key === entry.key)) return { text: source, changed: false };
  const doc = parseDocument(source);
  const seq = doc.get("skip", true);
  const lines = entryLines(entry);
  let edited: string | null = null;
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const first = seq.items[0] as Node;
    const last = seq.items[seq.items.length - 1] as Node;
    const lineStart = source.lastIndexOf("\n", (first.range?.[0] ?? 1) - 1) + 1;
    const dash = source.slice(lineStart, first.range?.[0]).match(/^( *)- +$/);
    if (dash && last.range) {
      const indent = dash[1] as string;
      const at = endOfLine(source, last.range[1]);
      const block = lines.map((line, i) => `${indent}${i === 0 ? "- " : "  "}${line}`).join("\n");
      edited = `${withNewline(source.slice(0, at))}${block}\n${source.slice(at)}`;
    }
  } else if (!doc.has("skip")) {
    edited = `${withNewline(source)}skip:\n${lines.map((line, i) => `  ${i === 0 ? "- " : "  "}${line}`).join("\n")}\n`;
  }
  if (edited !== null && sameSkips(edited, [...before.skip.map((e) => e.key), entry.key])) return { text: edited, changed: true };
  // Shapes the splice does not handle (a flow list, an empty `skip:`) go through the YAML printer.
  const list = ensureSkipSequence(doc);
  list.items.push(doc.createNode(compactEntry(entry)) as YAMLMap);
  return { text: doc.toString({ lineWidth: 0 }), changed: true };
}

/** Removes every entry for a key, cutting its lines out; unchanged when the key was not skipped. */
export function removeSkip(text: string | null, key: string): EditResult {
  if (text === null) return { text: "", changed: false };
  const before = parseSkipFile(text);
  if (!before.skip.some((e) => e.key === key)) return { text, changed: false };
  const doc = parseDocument(text);
  const seq = doc.get("skip", true) as YAMLSeq;
  let edited = text;
  if (!seq.flow) {
    const doomed = seq.items.filter((item) => entryKey(item) === key).map((item) => (item as Node).range);
    for (const range of doomed.reverse()) {
      if (!range) continue;
      const from = edited.lastIndexOf("\n", range[0] - 1) + 1;
      edited = edited.slice(0, from) + edited.slice(endOfLine(edited, range[1]));
    }
    const expected = before.skip.map((e) => e.key).filter((k) => k !== key);
    if (sameSkips(edited, expected)) return { text: edited, changed: true };
  }
  seq.items = seq.items.filter((item) => entryKey(item) !== key);
  return { text: doc.toString({ lineWidth: 0 }), changed: true };
}

/** The entry as YAML lines (`key: …`, `reason: …`), quoted wherever YAML needs it. */
function entryLines(entry: SkipEntry): string[] {
  return new Document(compactEntry(entry)).toString({ lineWidth: 0 }).trimEnd().split("\n");
}

/** The offset just past the line holding `offset - 1`: where a node that ends at `offset` ends its line. */
function endOfLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** A splice is kept only if the result reads back with exactly the expected keys. */
function sameSkips(text: string, keys: string[]): boolean {
  try {
    const after = parseSkipFile(text).skip.map((e) => e.key);
    return after.length === keys.length && after.every((k, i) => k === keys[i]);
  } catch {
    return false;
  }
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
