import { Document, isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap, YAMLSeq } from "yaml";
import { thousands } from "../parse/text.js";
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

/**
 * A capability a maintainer approved once: the artifact, the capability as the capability
 * section names it, and a fingerprint of exactly what was approved (the hook's command, the
 * server's command and arguments or URL, the tools), so a changed command is new again.
 */
export interface AllowEntry {
  key: string;
  /** As the capability section names it: `SessionStart`, `PreToolUse:Bash`, `mcp:github`, `tools`, `bin:fmt`. */
  capability: string;
  /** `sha256:` and the first 16 hex digits of the hash of what was approved. */
  fingerprint: string;
  by: string | null;
  at: string | null;
  ref: string | null;
  /** The commit the approval was given at. */
  commit: string | null;
}

export interface SkilldexConfig {
  profile: Profile | null;
  exclude: string[];
  /** The feature flag: false ignores `skip` and refuses commands. */
  skipPreferences: boolean;
  skip: SkipEntry[];
  /** Approved capabilities; absent when the file has no `allow:`. */
  allow?: AllowEntry[];
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
const KNOWN_KEYS = ["profile", "exclude", "skip-preferences", "skip", "allow", "rules", "overrides", "app-checks"];
const ENTRY_KEYS = ["key", "reason", "by", "at", "ref"];
const ALLOW_KEYS = ["key", "capability", "fingerprint", "by", "at", "ref", "commit"];
const FINGERPRINT = /^sha256:[0-9a-f]{16}$/;


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
    } else if (key === "allow") {
      config.allow = [];
      if (isEmpty(value)) continue;
      if (!isSeq(value)) fail(at(value), "allow must be a list of entries, each with a key, a capability and a fingerprint");
      for (const item of (value as YAMLSeq).items) config.allow.push(parseAllowEntry(item as Node, fail, at));
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
  readTextFields(item, "skip", ENTRY_KEYS, entry as unknown as Record<string, string | null>, fail, at);
  if (!entry.key) fail(at(item), "this skip entry has no key");
  if (!KEY_SYNTAX.test(entry.key)) fail(at(item), `${JSON.stringify(entry.key)} is not an artifact key such as skill:legacy-pdf`);
  return entry;
}

/** An entry's fields into `entry`, each text (a date as ISO 8601) or null; an unknown field or a non-text value fails. */
function readTextFields(item: YAMLMap, list: string, fields: readonly string[], entry: Record<string, string | null>, fail: (offset: number, problem: string) => never, at: (node: unknown) => number): void {
  for (const pair of item.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!fields.includes(name)) fail(at(pair.key), `unknown ${list} entry field ${JSON.stringify(name)}; the fields are ${fields.join(", ")}`);
    const value = pair.value as Node | null;
    const scalar = isScalar(value) ? value.value : value === null ? null : undefined;
    if (scalar === undefined || (scalar !== null && typeof scalar === "object")) fail(at(value), `${name} must be text`);
    entry[name] = scalar === null ? null : scalar instanceof Date ? scalar.toISOString() : String(scalar);
  }
}

function parseAllowEntry(item: Node, fail: (offset: number, problem: string) => never, at: (node: unknown) => number): AllowEntry {
  if (!isMap(item)) return fail(at(item), "each allow entry must be a mapping, such as {key: hook:my-plugin, capability: SessionStart, fingerprint: sha256:…}; `skilldex allow` and `/skilldex allow` write them");
  const entry: Record<string, string | null> = { key: "", capability: "", fingerprint: "", by: null, at: null, ref: null, commit: null };
  readTextFields(item, "allow", ALLOW_KEYS, entry, fail, at);
  for (const required of ["key", "capability", "fingerprint"]) if (!entry[required]) fail(at(item), `this allow entry has no ${required}`);
  if (!KEY_SYNTAX.test(entry.key as string)) fail(at(item), `${JSON.stringify(entry.key)} is not an artifact key such as hook:my-plugin`);
  if (!FINGERPRINT.test(entry.fingerprint as string)) fail(at(item), `${JSON.stringify(entry.fingerprint)} is not a fingerprint such as sha256:0123456789abcdef`);
  return entry as unknown as AllowEntry;
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

/** One change to the skip list (add an entry, or remove every entry for a key), or an approval to record. */
export type SkipEdit = { verb: "skip"; entry: SkipEntry } | { verb: "unskip"; key: string } | { verb: "allow"; entry: AllowEntry };

/**
 * The most a settings file may hold: room for tens of thousands of skip entries, and a bound on
 * what a scan, the CLI and the App read from a file a pull request can change.
 */
export const MAX_SETTINGS_BYTES = 4 * 1024 * 1024;

/** An edited file is written only if every reader will read it again. */
function withinCap(text: string): string {
  const size = Buffer.byteLength(text);
  if (size > MAX_SETTINGS_BYTES) {
    throw new SkipEditError(`${SKIP_FILE_PATH} would be ${thousands(size)} bytes, over the ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB a settings file may hold; nothing was written (an \`exclude\` pattern covers a whole folder in one line)`);
  }
  return text;
}

/** An edit that cannot be written: a key the file cannot hold, or a result that does not read back. */
export class SkipEditError extends Error {
  override name = "SkipEditError";
}

/** The two lists of the settings file that commands edit. */
type ListName = "skip" | "allow";

/** An entry as the file writes it: its fields with a value, in the file's order. */
type Fields = Record<string, string>;

/**
 * Applies edits in order with one parse of the file and one check of the result per list edited
 * (`skip`, then `allow`). Every comment, the order of keys, the formatting and the line endings
 * are kept byte for byte outside the entries edited: new entries are spliced in as text after
 * the last one, removed entries have their lines cut. The result is parsed back and must hold
 * exactly the expected entries; otherwise the YAML printer writes the file, and if even that does
 * not read back, this throws and nothing is to be written. `text` null means the file does not
 * exist yet. `applied[i]` says whether edit i changed anything (false for a key already skipped,
 * or not skipped, or a capability approved with the same fingerprint). An approval replaces the
 * artifact's earlier approvals of the same capability: they were for what it ran before.
 */
export function editSkips(text: string | null, edits: readonly SkipEdit[]): { text: string; changed: boolean; applied: boolean[] } {
  for (const edit of edits) if (edit.verb !== "unskip") assertWritableKey(edit.entry.key);
  const source = text ?? `${NEW_SKIP_FILE_HEADER}\n`;
  const { config } = readSkipFile(source, SKIP_FILE_PATH); // refuse to edit a file we could not read back
  const applied: boolean[] = [];

  const skips: { entry: SkipEntry; original: number | null; removed: boolean }[] = config.skip.map((entry, i) => ({ entry, original: i, removed: false }));
  const byKey = new Map<string, typeof skips>();
  for (const item of skips) byKey.set(item.entry.key, [...(byKey.get(item.entry.key) ?? []), item]);
  const allows: { entry: AllowEntry; original: number | null; removed: boolean }[] = (config.allow ?? []).map((entry, i) => ({ entry, original: i, removed: false }));
  for (const edit of edits) {
    if (edit.verb === "allow") {
      const live = allows.filter((a) => !a.removed && a.entry.key === edit.entry.key && a.entry.capability === edit.entry.capability);
      if (live.some((a) => a.entry.fingerprint === edit.entry.fingerprint)) {
        applied.push(false);
        continue;
      }
      for (const item of live) item.removed = true;
      allows.push({ entry: normalAllow(edit.entry), original: null, removed: false });
      applied.push(true);
    } else if (edit.verb === "skip") {
      if (byKey.has(edit.entry.key)) {
        applied.push(false);
        continue;
      }
      const item = { entry: normalEntry(edit.entry), original: null, removed: false };
      skips.push(item);
      byKey.set(edit.entry.key, [item]);
      applied.push(true);
    } else {
      const doomed = byKey.get(edit.key);
      if (!doomed) {
        applied.push(false);
        continue;
      }
      for (const item of doomed) item.removed = true;
      byKey.delete(edit.key);
      applied.push(true);
    }
  }
  let out = source;
  let changed = false;
  for (const [name, items] of [["skip", skips.map((i) => ({ ...i, fields: compactEntry(i.entry) }))], ["allow", allows.map((i) => ({ ...i, fields: compactAllow(i.entry) }))]] as const) {
    const cut = items.filter((e) => e.removed && e.original !== null).map((e) => e.original as number);
    const added = items.filter((e) => !e.removed && e.original === null).map((e) => e.fields);
    if (cut.length === 0 && added.length === 0) continue;
    out = editList(out, name, cut, added, items.filter((e) => !e.removed).map((e) => e.fields));
    changed = true;
  }
  if (!changed) return { text: text ?? "", changed: false, applied };
  return { text: withinCap(out), changed: true, applied };
}

/** One list's entries cut and added, spliced as text where it can be and printed otherwise; checked by reading it back. */
function editList(source: string, name: ListName, cut: number[], added: Fields[], expected: Fields[]): string {
  const { document } = readSkipFile(source, SKIP_FILE_PATH);
  const eol = lineEnding(source);
  const spliced = spliceList(source, document, name, cut, added, eol);
  if (spliced !== null && readsBack(spliced, name, expected)) return spliced;
  // Shapes the splice does not handle (a flow list, a file that is one flow mapping) go through the YAML printer.
  const list = ensureSequence(document, name);
  const gone = new Set(cut.map((i) => list.items[i]));
  list.items = list.items.filter((item) => !gone.has(item));
  for (const entry of added) list.items.push(document.createNode(entry) as YAMLMap);
  let printed = document.toString({ lineWidth: 0 });
  if (eol === "\r\n") printed = printed.replace(/\r?\n/g, "\r\n");
  if (readsBack(printed, name, expected)) return printed;
  throw new SkipEditError(`${SKIP_FILE_PATH} cannot be edited so that it reads back with exactly the intended ${name} entries; nothing was written`);
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
 * under a `skip:` that has none, or in a new `skip:` at the end; `allow:` alike). Null for a
 * shape it does not handle.
 */
function spliceList(source: string, document: Document.Parsed, name: ListName, cut: number[], added: Fields[], eol: string): string | null {
  const contents = document.contents;
  const seq = isMap(contents) ? contents.get(name, true) : null;
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
  } else if (isMap(contents) && !contents.flow && contents.has(name)) {
    // `skip:` with nothing after it: the entries go on the lines below.
    const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === name);
    const value = pair?.value;
    const keyRange = (pair?.key as Node | undefined)?.range;
    if (!keyRange || !isScalar(value) || value.value !== null || value.source !== "" || source.lastIndexOf("\n", keyRange[0] - 1) + 1 !== keyRange[0]) return null;
    insertAt = endOfLine(source, keyRange[1]);
  } else if (contents === null || (isMap(contents) && !contents.flow)) {
    const body = source === "" || source.endsWith("\n") ? source : `${source}${eol}`;
    return `${body}${name}:${eol}${entriesText(added, dash, eol)}`;
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
function entriesText(entries: readonly Fields[], dash: string, eol: string): string {
  const indent = " ".repeat(dash.length);
  const printed = new Map<string, string[]>();
  let out = "";
  for (const entry of entries) {
    let first = true;
    for (const [field, value] of Object.entries(entry)) {
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
function readsBack(text: string, name: ListName, expected: readonly Fields[]): boolean {
  let after: Fields[];
  try {
    const config = parseSkipFile(text);
    after = name === "skip" ? config.skip.map(compactEntry) : (config.allow ?? []).map(compactAllow);
  } catch {
    return false;
  }
  return after.length === expected.length && after.every((e, i) => sameFields(e, expected[i] as Fields));
}

function sameFields(a: Fields, b: Fields): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** An entry as the file reads it back: empty text is no value. */
function normalEntry(entry: SkipEntry): SkipEntry {
  return { key: entry.key, reason: entry.reason || null, by: entry.by || null, at: entry.at || null, ref: entry.ref || null };
}

function normalAllow(entry: AllowEntry): AllowEntry {
  return { key: entry.key, capability: entry.capability, fingerprint: entry.fingerprint, by: entry.by || null, at: entry.at || null, ref: entry.ref || null, commit: entry.commit || null };
}

function ensureSequence(doc: Document, name: ListName): YAMLSeq {
  if (!isMap(doc.contents)) {
    const header = doc.commentBefore;
    doc.contents = doc.createNode({}) as YAMLMap;
    doc.commentBefore = header;
  }
  const current = doc.get(name, true);
  if (isSeq(current)) {
    // A flow sequence (`skip: []`) would put the new entry on one line; block style reads better.
    current.flow = false;
    return current;
  }
  const seq = new YAMLSeq();
  doc.set(name, seq);
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

function compactAllow(entry: AllowEntry): Record<string, string> {
  const out: Record<string, string> = { key: entry.key, capability: entry.capability, fingerprint: entry.fingerprint };
  for (const field of ["by", "at", "ref", "commit"] as const) if (entry[field]) out[field] = entry[field] as string;
  return out;
}
