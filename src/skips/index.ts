import { Document, isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap, YAMLSeq } from "yaml";
import { parseYaml } from "../parse/yaml.js";
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

// rules and overrides are read by parseSettings (src/config.ts).
const KNOWN_KEYS = ["profile", "exclude", "skip-preferences", "skip", "rules", "overrides", "app-checks"];
const ENTRY_KEYS = ["key", "reason", "by", "at", "ref"];


/** Parses and validates the skip file; an empty file is the default configuration. */
export function parseSkipFile(text: string, file = SKIP_FILE_PATH): SkilldexConfig {
  return readSkipFile(text, file).config;
}

/** The settings and the document they were read from, whose node ranges an edit splices at. */
function readSkipFile(text: string, file: string): { config: SkilldexConfig; document: Document.Parsed } {
  const lineCounter = new LineCounter();
  const document = parseYaml(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (offset: number, problem: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new SkipFileError(file, line, col, problem);
  };
  const at = (node: unknown): number => (node as Node | null | undefined)?.range?.[0] ?? 0;
  const firstError = document.errors[0];
  if (firstError) fail(firstError.pos[0], `not valid YAML: ${firstError.message.split("\n")[0]}`);
  const contents = document.contents;
  const config: SkilldexConfig = { profile: null, exclude: [], skipPreferences: true, skip: [] };
  if (isEmpty(contents)) return { config, document };
  if (!isMap(contents)) return fail(at(contents), "the file must be a mapping of settings (profile, exclude, skip-preferences, skip)");

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
    } else if (key === "app-checks") {
      // Read by the App (appChecksEnabled); checked here so a mistyped value is not taken for true.
      if (!isScalar(value) || typeof value.value !== "boolean") fail(at(value ?? keyNode), "app-checks must be true or false");
    } else if (key === "exclude") {
      // `exclude:` with nothing after it is an empty list.
      if (isEmpty(value)) continue;
      if (!isSeq(value)) fail(at(value), "exclude must be a list of glob patterns, such as [\"archive/**\"]");
      for (const item of (value as YAMLSeq).items) {
        if (!isScalar(item) || typeof item.value !== "string" || item.value === "") fail(at(item), "each exclude pattern must be non-empty text");
        config.exclude.push((item as { value: string }).value);
      }
    } else if (key === "skip") {
      if (isEmpty(value)) continue;
      if (!isSeq(value)) fail(at(value), "skip must be a list of entries, each with a key");
      for (const item of (value as YAMLSeq).items) config.skip.push(parseEntry(item as Node, fail, at));
    }
  }
  return { config, document };
}

/** No value at all, or YAML's null (`key:`, `key: ~`, `key: null`). */
function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
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

/** One change to the skip list: add an entry, or remove every entry for a key. */
export type SkipEdit = { verb: "skip"; entry: SkipEntry } | { verb: "unskip"; key: string };

/**
 * The most a settings file may hold: room for tens of thousands of skip entries, and a bound on
 * what a scan, the CLI and the App read from a file a pull request can change.
 */
export const MAX_SETTINGS_BYTES = 4 * 1024 * 1024;

/** An edited file is written only if every reader will read it again. */
function withinCap(text: string): string {
  const size = Buffer.byteLength(text);
  if (size > MAX_SETTINGS_BYTES) {
    throw new SkipEditError(`${SKIP_FILE_PATH} would be ${size.toLocaleString("en-US")} bytes, over the ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB a settings file may hold; nothing was written (an \`exclude\` pattern covers a whole folder in one line)`);
  }
  return text;
}

/** An edit that cannot be written: a key the file cannot hold, or a result that does not read back. */
export class SkipEditError extends Error {
  override name = "SkipEditError";
}

/**
 * Applies edits in order with one parse of the file and one check of the result. Every comment,
 * the order of keys, the formatting and the line endings are kept byte for byte outside the
 * entries edited: new entries are spliced in as text after the last one, removed entries have
 * their lines cut. The result is parsed back and must hold exactly the expected entries;
 * otherwise the YAML printer writes the file, and if even that does not read back, this throws
 * and nothing is to be written. `text` null means the file does not exist yet. `applied[i]`
 * says whether edit i changed anything (false for a key already skipped, or not skipped).
 */
export function editSkips(text: string | null, edits: readonly SkipEdit[]): { text: string; changed: boolean; applied: boolean[] } {
  for (const edit of edits) if (edit.verb === "skip") assertWritableKey(edit.entry.key);
  const source = text ?? `${NEW_SKIP_FILE_HEADER}\n`;
  const { config, document } = readSkipFile(source, SKIP_FILE_PATH); // refuse to edit a file we could not read back
  const entries: { entry: SkipEntry; original: number | null; removed: boolean }[] = config.skip.map((entry, i) => ({ entry, original: i, removed: false }));
  const byKey = new Map<string, typeof entries>();
  for (const item of entries) byKey.set(item.entry.key, [...(byKey.get(item.entry.key) ?? []), item]);
  const applied = edits.map((edit) => {
    if (edit.verb === "skip") {
      if (byKey.has(edit.entry.key)) return false;
      const item = { entry: normalEntry(edit.entry), original: null, removed: false };
      entries.push(item);
      byKey.set(edit.entry.key, [item]);
      return true;
    }
    const doomed = byKey.get(edit.key);
    if (!doomed) return false;
    for (const item of doomed) item.removed = true;
    byKey.delete(edit.key);
    return true;
  });
  const cut = entries.filter((e) => e.removed && e.original !== null).map((e) => e.original as number);
  const added = entries.filter((e) => !e.removed && e.original === null).map((e) => e.entry);
  if (cut.length === 0 && added.length === 0) return { text: text ?? "", changed: false, applied };
  const expected = entries.filter((e) => !e.removed).map((e) => e.entry);

  const eol = lineEnding(source);
  const spliced = spliceSkips(source, document, cut, added, eol);
  if (spliced !== null && readsBack(spliced, expected)) return { text: withinCap(spliced), changed: true, applied };
  // Shapes the splice does not handle (a flow list, a file that is one flow mapping) go through the YAML printer.
  const list = ensureSkipSequence(document);
  const gone = new Set(cut.map((i) => list.items[i]));
  list.items = list.items.filter((item) => !gone.has(item));
  for (const entry of added) list.items.push(document.createNode(compactEntry(entry)) as YAMLMap);
  let printed = document.toString({ lineWidth: 0 });
  if (eol === "\r\n") printed = printed.replace(/\r?\n/g, "\r\n");
  if (readsBack(printed, expected)) return { text: withinCap(printed), changed: true, applied };
  throw new SkipEditError(`${SKIP_FILE_PATH} cannot be edited so that it reads back with exactly the intended skip entries; nothing was written`);
}

/**
 * Adds a skip entry, keeping every comment, the order of keys and the file's own formatting: the
 * new entry is spliced in as text after the last one, so the diff is the entry alone. `text` null
 * means the file does not exist yet.
 */
export function addSkip(text: string | null, entry: SkipEntry): EditResult {
  const { text: edited, changed } = editSkips(text, [{ verb: "skip", entry }]);
  return { text: edited, changed };
}

/** Removes every entry for a key, cutting its lines out; unchanged when the key was not skipped. */
export function removeSkip(text: string | null, key: string): EditResult {
  const { text: edited, changed } = editSkips(text, [{ verb: "unskip", key }]);
  return { text: edited, changed };
}

/** Control characters (line breaks, U+2028 and U+2029 among them) have no place in a key. */
export function assertWritableKey(key: string): void {
  if (!KEY_SYNTAX.test(key)) throw new SkipEditError(`${JSON.stringify(key)} cannot be written to ${SKIP_FILE_PATH}: it is not an artifact key such as skill:legacy-pdf, or it holds a control character`);
}

/**
 * The edit as text: the lines of removed entries cut, the new entries after the last entry (or
 * under a `skip:` that has none, or in a new `skip:` at the end). Null for a shape it does not handle.
 */
function spliceSkips(source: string, document: Document.Parsed, cut: number[], added: SkipEntry[], eol: string): string | null {
  const contents = document.contents;
  const seq = isMap(contents) ? contents.get("skip", true) : null;
  const cuts: [number, number][] = [];
  let insertAt: number;
  let dash = "  - ";
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const first = seq.items[0] as Node;
    const last = seq.items[seq.items.length - 1] as Node;
    if (!first.range || !last.range) return null;
    const firstLine = source.lastIndexOf("\n", first.range[0] - 1) + 1;
    const prefix = /^ *- +$/.exec(source.slice(firstLine, first.range[0]));
    if (!prefix) return null;
    dash = prefix[0];
    for (const i of cut) {
      const range = (seq.items[i] as Node).range;
      if (!range) return null;
      cuts.push([source.lastIndexOf("\n", range[0] - 1) + 1, endOfLine(source, range[1])]);
    }
    insertAt = endOfLine(source, last.range[1]);
  } else if (cut.length > 0) {
    return null;
  } else if (isMap(contents) && !contents.flow && contents.has("skip")) {
    // `skip:` with nothing after it: the entries go on the lines below.
    const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === "skip");
    const value = pair?.value;
    const keyRange = (pair?.key as Node | undefined)?.range;
    if (!keyRange || !isScalar(value) || value.value !== null || value.source !== "" || source.lastIndexOf("\n", keyRange[0] - 1) + 1 !== keyRange[0]) return null;
    insertAt = endOfLine(source, keyRange[1]);
  } else if (contents === null || (isMap(contents) && !contents.flow)) {
    const body = source === "" || source.endsWith("\n") ? source : `${source}${eol}`;
    return `${body}skip:${eol}${entriesText(added, dash, eol)}`;
  } else {
    return null;
  }
  let out = "";
  let pos = 0;
  for (const [from, to] of cuts.sort((a, b) => a[0] - b[0])) {
    out += source.slice(pos, from);
    pos = to;
  }
  out += source.slice(pos, insertAt);
  if (added.length > 0) {
    if (out !== "" && !out.endsWith("\n")) out += eol;
    out += entriesText(added, dash, eol);
  }
  return out + source.slice(Math.max(pos, insertAt));
}

/** The entries as block list items, each line ending in `eol`. */
function entriesText(entries: readonly SkipEntry[], dash: string, eol: string): string {
  const indent = " ".repeat(dash.length);
  const printed = new Map<string, string[]>();
  let out = "";
  for (const entry of entries) {
    let first = true;
    for (const [field, value] of Object.entries(compactEntry(entry))) {
      for (const line of fieldLines(field, value, printed)) {
        out += `${first ? dash : indent}${line}${eol}`;
        first = false;
      }
    }
  }
  return out;
}

/** Text that YAML reads back as itself when written plain after `key: `. */
const PLAIN_TEXT = /^[A-Za-z][\w ./:@+()-]*$/;
const PLAIN_WORDS = new Set(["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"]);

/** `field: value` as YAML lines; quoted wherever YAML needs it, by the YAML printer, once per distinct value. */
function fieldLines(field: string, value: string, printed: Map<string, string[]>): string[] {
  if (PLAIN_TEXT.test(value) && !value.includes(": ") && !value.includes(" #") && !/[ :]$/.test(value) && !PLAIN_WORDS.has(value)) return [`${field}: ${value}`];
  const id = `${field}\u0000${value}`;
  let lines = printed.get(id);
  if (!lines) {
    lines = new Document({ [field]: value }).toString({ lineWidth: 0 }).trimEnd().split("\n");
    printed.set(id, lines);
  }
  return lines;
}

/** The file's own line ending, from its first line. */
function lineEnding(text: string): string {
  const nl = text.indexOf("\n");
  return nl > 0 && text[nl - 1] === "\r" ? "\r\n" : "\n";
}

/** The offset just past the line holding `offset - 1`: where a node that ends at `offset` ends its line. */
function endOfLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}

/** An edit is kept only if the result reads back with exactly the expected entries, in order. */
function readsBack(text: string, expected: readonly SkipEntry[]): boolean {
  let after: SkipEntry[];
  try {
    after = parseSkipFile(text).skip;
  } catch {
    return false;
  }
  return after.length === expected.length && after.every((e, i) => sameEntry(e, expected[i] as SkipEntry));
}

function sameEntry(a: SkipEntry, b: SkipEntry): boolean {
  return a.key === b.key && a.reason === b.reason && a.by === b.by && a.at === b.at && a.ref === b.ref;
}

/** An entry as the file reads it back: empty text is no value. */
function normalEntry(entry: SkipEntry): SkipEntry {
  return { key: entry.key, reason: entry.reason || null, by: entry.by || null, at: entry.at || null, ref: entry.ref || null };
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
