/**
 * Most frontmatter is a flat list of `key: value` lines. Those are read here without the YAML
 * library, which costs far more than reading the file; anything this reader is not sure of
 * (nested mappings, lists of anything but one-line strings, comments, escapes, numbers, booleans,
 * tabs, CR, control characters, duplicate keys) makes it give up, and the caller parses the block with `yaml`.
 * What it returns is exactly what `yaml` would say of the same text under the core schema.
 */

/** One top-level field: its key and value, with offsets into the YAML text. */
export interface FlatField {
  key: string;
  keyStart: number;
  /** Where the value's node starts and ends, quotes and brackets included; equal for an empty value. */
  valueStart: number;
  valueEnd: number;
  /** The value as StrictYAML reads it: every scalar is its text, an empty one "". */
  spec: string | string[];
  /** The value under the core schema, as `yaml`'s `toJS` gives it: an empty one is null. */
  claude: string | string[] | null;
  /** A flow sequence (`[a, b]`), which StrictYAML refuses. */
  flow: boolean;
}

type Line = { start: number; text: string; broken: boolean };

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +|$)/;
/** A key the core schema reads as something other than a string, or that an object cannot hold. */
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|__proto__)$/;
/** Printable characters YAML takes as they are, astral ones in whole pairs; no tab, CR or BOM. */
const ONLY_PRINTABLE = /^[\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
/** Characters that, first in a plain scalar, make it something else (or reserved). */
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** What the core schema resolves to null, a boolean, an integer or a float rather than a string. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/** The fields of a flat block of `key: value` lines, or null when `yaml` must read it. */
export function readFlatYaml(yaml: string): FlatField[] | null {
  if (!ONLY_PRINTABLE.test(yaml)) return null;
  const lines: Line[] = [];
  for (let start = 0; start <= yaml.length; ) {
    let end = yaml.indexOf("\n", start);
    const broken = end !== -1;
    if (!broken) end = yaml.length;
    lines.push({ start, text: yaml.slice(start, end), broken });
    start = end + 1;
  }
  const fields: FlatField[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as (typeof lines)[number];
    if (line.text.trimStart() === "") continue;
    const match = KEY_LINE.exec(line.text);
    if (!match) return null;
    const key = match[1] as string;
    if (SPECIAL_KEY.test(key) || seen.has(key)) return null;
    seen.add(key);
    const raw = line.text.slice(match[0].length).replace(/ +$/, "");
    const valueStart = line.start + match[0].length;
    // Fields are written out whole, not spread from a common part: spreading cost more than the rest of the reading.
    const field = (spec: FlatField["spec"], claude: FlatField["claude"], start = valueStart, end = valueStart + raw.length, flow = false): FlatField => ({ key, keyStart: line.start, valueStart: start, valueEnd: end, flow, spec, claude });
    const header = BLOCK_HEADER.exec(raw);
    if (header) {
      const block = readBlockScalar(lines, i + 1, header[1] === ">", header[2] === "-");
      if (!block) return null;
      fields.push(field(block.text, block.text, valueStart, block.end));
      i = block.next - 1;
      continue;
    }
    if (raw === "") {
      const list = readBlockSequence(lines, i + 1);
      if (list === null) return null;
      if (list) {
        fields.push(field(list.items, [...list.items], list.start, list.end));
        i = list.next - 1;
      } else {
        fields.push(field("", null, line.start + key.length + 1, line.start + key.length + 1));
      }
      continue;
    }
    if (raw[0] === "[") {
      const items = readFlowSequence(raw);
      if (!items) return null;
      fields.push(field(items, [...items], valueStart, valueStart + raw.length, true));
      continue;
    }
    const value = readScalar(raw);
    if (value === null) return null;
    fields.push(field(value, value));
  }
  return fields.length > 0 ? fields : null;
}

/** A one-line value's text, or null when it is not surely a string `yaml` reads as written. */
function readScalar(raw: string): string | null {
  const first = raw[0];
  if (first === '"' || first === "'") {
    if (raw.length < 2 || raw[raw.length - 1] !== first) return null;
    const inner = raw.slice(1, -1);
    if (first === '"') return inner.includes('"') || inner.includes("\\") ? null : inner;
    return inner.replaceAll("''", "").includes("'") ? null : inner.replaceAll("''", "'");
  }
  if (INDICATOR_FIRST.test(raw) || raw.includes(": ") || raw.includes(" #") || raw.endsWith(":") || NOT_A_STRING.test(raw)) return null;
  return raw;
}

/** `|` or `>`, clipped or stripped (`-`); kept trailing lines, indentation digits and comments are left to `yaml`. */
const BLOCK_HEADER = /^([|>])(-?)$/;

/**
 * A block scalar of a top-level key: its lines indented alike (deeper ones only when literal),
 * the first one not blank, each ending in a line break. Returns its text, where its node ends
 * (after the last line that is not blank), and the line after it.
 */
function readBlockScalar(lines: readonly Line[], from: number, folded: boolean, strip: boolean): { text: string; end: number; next: number } | null {
  const first = lines[from];
  if (!first || first.text.trimStart() === "") return null;
  const indent = first.text.length - first.text.trimStart().length;
  if (indent === 0) return null;
  const content: string[] = [];
  let blanks = 0;
  let end = 0;
  let next = from;
  for (; next < lines.length; next++) {
    const line = lines[next] as (typeof lines)[number];
    const text = line.text;
    const blank = text.trimStart() === "";
    if (blank) {
      if (text.length > indent) return null;
      if (line.broken) blanks++;
      continue;
    }
    const own = text.length - text.trimStart().length;
    if (own === 0) break;
    if (own < indent || !line.broken || (folded && own > indent)) return null;
    for (let b = 0; b < blanks; b++) content.push("");
    blanks = 0;
    content.push(text.slice(indent));
    end = line.start + text.length + 1;
  }
  let text = "";
  if (folded) {
    // Lines fold into one with a space; each blank line between them stands for one line break.
    for (let k = 0; k < content.length; k++) {
      const part = content[k] as string;
      if (k > 0) text += part === "" || content[k - 1] === "" ? (part === "" ? "\n" : "") : " ";
      text += part;
    }
  } else {
    text = content.join("\n");
  }
  return { text: strip ? text : `${text}\n`, end, next };
}

const LIST_ITEM = /^( *)- +(.*)$/;

/**
 * The `- item` lines under a key with no value of its own, each a one-line string, all indented
 * alike; false when the key is followed by no list (its value is then empty), null when the
 * list is not one this reader is sure of.
 */
function readBlockSequence(lines: readonly Line[], from: number): { items: string[]; start: number; end: number; next: number } | false | null {
  let next = from;
  while (next < lines.length && (lines[next] as Line).text.trimStart() === "") next++;
  const first = lines[next];
  if (!first) return false;
  const head = LIST_ITEM.exec(first.text);
  if (!head) return /^[ -]/.test(first.text) ? null : false;
  // A blank line before the list, or inside it, is left to yaml.
  if (next !== from) return null;
  const indent = (head[1] as string).length;
  const items: string[] = [];
  let end = 0;
  for (; next < lines.length; next++) {
    const line = lines[next] as Line;
    const item = LIST_ITEM.exec(line.text);
    if (!item || (item[1] as string).length !== indent) break;
    const value = readScalar((item[2] as string).replace(/ +$/, ""));
    if (value === null || value === "" || !line.broken) return null;
    items.push(value);
    end = line.start + line.text.length + 1;
  }
  // The list ends at the next key: anything else (a deeper line, a blank one and more items) is yaml's.
  for (let rest = next; rest < lines.length; rest++) {
    const text = (lines[rest] as Line).text;
    if (text.trimStart() === "") continue;
    if (/^[ -]/.test(text)) return null;
    break;
  }
  return { items, start: first.start + indent, end, next };
}

/** Words, as tools and tags are named: a flow sequence of these reads alike in every reader. */
const FLOW_ITEM = /^[A-Za-z][A-Za-z0-9 _./()-]*$/;

/**
 * `[a, "b c"]` on one line, of plain words and of quoted text that holds no escape and no quote
 * of its own kind; null for anything else.
 */
function readFlowSequence(raw: string): string[] | null {
  if (!raw.endsWith("]")) return null;
  const inner = raw.slice(1, -1);
  if (inner.trim() === "") return [];
  const items: string[] = [];
  for (let at = 0; ; at++) {
    while (inner[at] === " ") at++;
    const quote = inner[at];
    if (quote === '"' || quote === "'") {
      const close = inner.indexOf(quote, at + 1);
      if (close === -1) return null;
      const text = inner.slice(at + 1, close);
      if (quote === '"' && text.includes("\\")) return null;
      items.push(text);
      at = close + 1;
    } else {
      const comma = inner.indexOf(",", at);
      const end = comma === -1 ? inner.length : comma;
      const item = inner.slice(at, end).trim();
      if (!FLOW_ITEM.test(item) || NOT_A_STRING.test(item)) return null;
      items.push(item);
      at = end;
    }
    while (inner[at] === " ") at++;
    if (at === inner.length) return items;
    if (inner[at] !== ",") return null;
  }
}
