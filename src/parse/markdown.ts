import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair } from "yaml";
import { readFlatYaml, type FlatField } from "./flat-yaml.js";
import { FILE_START, LineIndex, type Span } from "./position.js";
import { parseYaml } from "./yaml.js";

export type FrontmatterProblemKind = "missing" | "unclosed" | "yaml" | "not-mapping";

/** What is wrong with a frontmatter block; the rule that reports it chooses the words. */
export interface FrontmatterProblem {
  kind: FrontmatterProblemKind;
  span: Span;
  /** For `yaml`, the YAML reader's own explanation; for `not-mapping`, what the block holds instead. */
  detail?: string;
}

/** What StrictYAML (the YAML reader of the specification's validator) refuses in valid YAML. */
export type StrictYamlKind = "flow" | "anchor" | "alias" | "tag" | "duplicate-key" | "tab";

/** What StrictYAML refuses and where; the rule that reports it chooses the words. */
export interface StrictYamlProblem {
  kind: StrictYamlKind;
  span: Span;
  /** The key, anchor, alias or tag as written; for `flow`, `mapping` or `sequence`. */
  detail: string;
}

/** The frontmatter as one reader sees it. */
export interface FrontmatterView {
  /** The fields; null when the reader gets none (no block, YAML it refuses, not a mapping). */
  data: Record<string, unknown> | null;
  problems: FrontmatterProblem[];
  /** Where a top-level field's key, or its value, stands; the file's start when it is absent. */
  locate(field: string, part?: "key" | "value"): Span;
  /** A top-level field's value node, for rules about how it is written. */
  node(field: string): Node | null;
}

/**
 * The Agent Skills reference validator's reading: the file starts with `---`, the next `---`
 * anywhere (even mid-line) closes the block, and StrictYAML reads every scalar as a string.
 */
export interface SpecView extends FrontmatterView {
  /** StrictYAML refusals in YAML that is otherwise valid; `data` is null when there are any. */
  strict: StrictYamlProblem[];
}

/**
 * Claude Code's reading: `^---\s*\n` opens, the next `---` anywhere closes; YAML that does not
 * parse is retried once after quoting values with special characters and expanding leading tabs.
 */
export interface ClaudeView extends FrontmatterView {
  /** The YAML parsed only after that repair; `yamlError` says what was wrong as written. */
  repaired: boolean;
  yamlError: FrontmatterProblem | null;
}

/** A Markdown file with YAML frontmatter, as each profile's reference reader sees it. */
export interface ParsedMarkdown {
  format: "markdown";
  spec: SpecView;
  claude: ClaudeView;
}

const CLAUDE_BLOCK = /^---\s*\n([\s\S]*?)---\s*\n?/d;
/** Claude Code's repair: a top-level `key: value` line whose plain value holds one of these is quoted. */
const REPAIR_KEY_LINE = /^([a-zA-Z_-]+):\s+(\S.*)$/;
const NEEDS_QUOTES = /[{}[\]*&#!|>%@`]|: /;

export function parseMarkdown(text: string): ParsedMarkdown {
  return new MarkdownFile(text);
}

// Classes rather than object literals with getters: thousands are made in a scan, and a
// literal's accessors are defined anew on each one.
// Its state is in private fields, which no reader of a ParsedMarkdown sees: a `text` property,
// say, would tell markdownText that the whole file is here.
class MarkdownFile implements ParsedMarkdown {
  readonly format = "markdown";
  readonly #text: string;
  #block: Block | null | undefined;
  #spec: SpecView | undefined;
  #claude: ClaudeView | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  get spec(): SpecView {
    return (this.#spec ??= specView(this.#text, () => this.#readBlock()));
  }

  get claude(): ClaudeView {
    return (this.#claude ??= claudeView(this.#text, () => this.#readBlock()));
  }

  // Both readers close the block at the same `---`, and what lies between their openers is
  // white space, so one YAML parse serves both.
  #readBlock(): Block | null {
    return this.#block === undefined ? (this.#block = readBlock(this.#text)) : this.#block;
  }
}

class Block {
  /** Offset of the YAML text in the file. */
  readonly start = 3;
  readonly index: LineIndex;
  /** The fields of a flat block of `key: value` lines; null when only the YAML library can read it. */
  readonly flat: FlatField[] | null;
  private parsed: Document | undefined;

  constructor(
    text: string,
    close: number,
    readonly yaml: string,
  ) {
    this.index = new LineIndex(text.slice(0, close + 3));
    this.flat = readFlatYaml(yaml);
  }

  /** The YAML library's reading, made on first use: a flat block is read without it. */
  get document(): Document {
    return (this.parsed ??= parseYaml(this.yaml, { uniqueKeys: false, prettyErrors: false }));
  }
}

function readBlock(text: string): Block | null {
  if (!text.startsWith("---")) return null;
  const close = text.indexOf("---", 3);
  if (close === -1) return null;
  return new Block(text, close, text.slice(3, close));
}

function spanIn(block: { start: number; index: LineIndex }, start: number, end: number): Span {
  return block.index.span(block.start + start, block.start + end);
}

function specView(text: string, block: () => Block | null): SpecView {
  if (!text.startsWith("---")) {
    return emptySpec({ kind: "missing", span: FILE_START });
  }
  const b = block();
  if (!b) return emptySpec({ kind: "unclosed", span: FILE_START });
  if (b.flat) {
    // StrictYAML refuses flow sequences; those are the one refusal a flat block can hold.
    const strict = b.flat.filter((f) => f.flow).map((f): StrictYamlProblem => ({ kind: "flow", detail: "sequence", span: spanIn(b, f.valueStart, f.valueEnd) }));
    const { locate, node } = flatLocator(b, b.flat);
    return { data: strict.length > 0 ? null : flatData(b.flat, "spec"), problems: [], strict, locate, node };
  }
  const { document } = b;
  const problems: FrontmatterProblem[] = [];
  const error = document.errors[0];
  if (error) problems.push({ kind: "yaml", detail: firstLine(error.message), span: spanIn(b, error.pos[0], error.pos[1]) });
  const strict = error ? [] : strictProblems(b);
  let data: Record<string, unknown> | null = null;
  if (!error && strict.length === 0) {
    const contents = document.contents;
    if (!isMap(contents)) {
      const range = (contents as Node | null)?.range;
      problems.push({
        kind: "not-mapping",
        detail: contents === null ? "empty" : isSeq(contents) ? "a list" : "a single value",
        span: range ? spanIn(b, range[0], range[1]) : spanIn(b, 0, 0),
      });
    } else {
      data = asStrings(contents) as Record<string, unknown>;
    }
  }
  return { data, problems, strict, ...locator(b, document) };
}

function emptySpec(problem: FrontmatterProblem): SpecView {
  return { data: null, problems: [problem], strict: [], locate: () => FILE_START, node: () => null };
}

function strictProblems(b: Block): StrictYamlProblem[] {
  const out: StrictYamlProblem[] = [];
  // ruamel.yaml, under StrictYAML, takes a tab after `key:` for the start of a token it cannot read.
  let offset = 0;
  for (const line of b.yaml.includes(":\t") ? b.yaml.split("\n") : []) {
    const tab = /^[ ]*[^\s#'"?:-][^:#]*:\t/.exec(line);
    if (tab) out.push({ kind: "tab", detail: "\t", span: spanIn(b, offset + tab[0].length - 1, offset + tab[0].length) });
    offset += line.length + 1;
  }
  const at = (node: { range?: [number, number, number] | null }): Span => (node.range ? spanIn(b, node.range[0], node.range[1]) : spanIn(b, 0, 0));
  const duplicates = (node: Node): void => {
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : null;
      if (key === null) continue;
      if (seen.has(key)) out.push({ kind: "duplicate-key", detail: key, span: at(pair.key as Node) });
      seen.add(key);
    }
  };
  // Flow collections, anchors, aliases and tags all need one of these characters: most
  // frontmatter has none, and then only duplicate keys need a walk.
  if (!/[[\]{}&*!]/.test(b.yaml)) {
    const walk = (node: unknown): void => {
      if (isMap(node)) {
        duplicates(node);
        for (const pair of node.items) walk(pair.value);
      } else if (isSeq(node)) node.items.forEach(walk);
    };
    walk(b.document.contents);
    return out;
  }
  visit(b.document, {
    Alias(_key, node) {
      out.push({ kind: "alias", detail: node.source, span: at(node) });
    },
    Node(_key, node) {
      if (isAlias(node)) return;
      if (node.anchor) out.push({ kind: "anchor", detail: node.anchor, span: at(node) });
      if (node.tag) out.push({ kind: "tag", detail: node.tag.replace("tag:yaml.org,2002:", "!!"), span: at(node) });
      if (isCollection(node) && node.flow) out.push({ kind: "flow", detail: isMap(node) ? "mapping" : "sequence", span: at(node) });
      duplicates(node);
    },
  });
  return out;
}

/** StrictYAML without a schema: every scalar is its text, an empty value is "". */
function asStrings(node: unknown): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) out[String(asStrings(pair.key))] = asStrings(pair.value);
    return out;
  }
  if (isSeq(node)) return node.items.map(asStrings);
  if (isScalar(node)) {
    if (node.type === "PLAIN") return node.source ?? (node.value === null ? "" : String(node.value));
    return node.value === null ? "" : String(node.value);
  }
  return node === null || node === undefined ? "" : String(node);
}

function claudeView(text: string, block: () => Block | null): ClaudeView {
  const match = CLAUDE_BLOCK.exec(text);
  if (!match) {
    const problem: FrontmatterProblem = /^---\s*\n/.test(text)
      ? { kind: "unclosed", span: FILE_START }
      : { kind: "missing", span: FILE_START };
    return {
      data: null,
      problems: [problem],
      repaired: false,
      yamlError: null,
      locate: () => FILE_START,
      node: () => null,
    };
  }
  const b = block() as Block;
  if (b.flat) {
    const { locate, node } = flatLocator(b, b.flat);
    return { data: flatData(b.flat, "claude"), problems: [], repaired: false, yamlError: null, locate, node };
  }
  const error = b.document.errors[0];
  if (!error) return finishClaude(b, b.document, false, null);
  const yamlError: FrontmatterProblem = { kind: "yaml", detail: firstLine(error.message), span: spanIn(b, error.pos[0], error.pos[1]) };
  const repairedText = repairYaml(b.yaml);
  // A repair that changes nothing would parse to the same errors: the first reading serves.
  const repaired = repairedText === b.yaml ? b.document : parseYaml(repairedText, { uniqueKeys: false, prettyErrors: false });
  if (repaired.errors.length > 0) {
    return { data: null, problems: [yamlError], repaired: false, yamlError, ...lineLocator(b) };
  }
  // The repair keeps every line where it was, so positions are found by line in the original.
  return { ...finishClaude(b, repaired, true, yamlError), ...lineLocator(b) };
}

function finishClaude(b: Block, document: Document, repaired: boolean, yamlError: FrontmatterProblem | null): ClaudeView {
  const contents = document.contents;
  const problems: FrontmatterProblem[] = [];
  let data: Record<string, unknown> | null = {};
  if (contents !== null && !(isScalar(contents) && contents.value === null)) {
    if (!isMap(contents)) {
      const range = (contents as Node).range ?? [0, 0, 0];
      problems.push({
        kind: "not-mapping",
        detail: isSeq(contents) ? "a list" : "a single value",
        span: spanIn(b, range[0], range[1]),
      });
      data = null;
    } else {
      try {
        data = document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
      } catch (e) {
        problems.push({ kind: "yaml", detail: firstLine((e as Error).message), span: spanIn(b, 0, 0) });
        data = null;
      }
    }
  }
  return { data, problems, repaired, yamlError, ...locator(b, document) };
}

/** Claude Code's second try at frontmatter that does not parse. */
export function repairYaml(yaml: string): string {
  const lines = yaml.split("\n").map((line) => {
    const match = REPAIR_KEY_LINE.exec(line);
    if (!match) return line;
    const [, key, value] = match as unknown as [string, string, string];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) return line;
    if (value.startsWith("[") && value.endsWith("]")) {
      const list = parseYaml(value);
      if (list.errors.length === 0 && isSeq(list.contents)) return line;
    }
    if (!NEEDS_QUOTES.test(value)) return line;
    return `${key}: "${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  });
  return lines.join("\n").replace(/^\t+/gm, (tabs) => "  ".repeat(tabs.length));
}

function locator(b: Block, document: Document): Pick<FrontmatterView, "locate" | "node"> {
  const pairFor = (field: string): Pair | undefined => {
    const contents = document.contents;
    if (!isMap(contents)) return undefined;
    return contents.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === field) as Pair | undefined;
  };
  return {
    locate(field, part = "key") {
      const pair = pairFor(field);
      const keyRange = (pair?.key as Node | undefined)?.range;
      if (!pair || !keyRange) return FILE_START;
      const valueRange = (pair.value as Node | null)?.range;
      if (part === "value" && valueRange && valueRange[1] > valueRange[0]) return spanIn(b, valueRange[0], valueRange[1]);
      return spanIn(b, keyRange[0], keyRange[1]);
    },
    node(field) {
      return (pairFor(field)?.value as Node | null | undefined) ?? null;
    },
  };
}

/** A flat block's fields as one reader reads them; its keys are distinct, and none is `__proto__`. */
function flatData(fields: readonly FlatField[], reader: "spec" | "claude"): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of fields) data[f.key] = f[reader];
  return data;
}

/** The locator of a flat block, from the offsets its reader kept; the same spans `locator` gives. */
function flatLocator(b: Block, fields: readonly FlatField[]): Pick<FrontmatterView, "locate" | "node"> {
  return {
    locate(field, part = "key") {
      const found = fields.find((f) => f.key === field);
      if (!found) return FILE_START;
      if (part === "value" && found.valueEnd > found.valueStart) return spanIn(b, found.valueStart, found.valueEnd);
      return spanIn(b, found.keyStart, found.keyStart + found.key.length);
    },
    node: (field) => locator(b, b.document).node(field),
  };
}

/** Positions by the first top-level line `field:` of the original text. */
function lineLocator(b: Block): Pick<FrontmatterView, "locate" | "node"> {
  return {
    locate(field, part = "key") {
      let offset = 0;
      for (const line of b.yaml.split("\n")) {
        if (line.startsWith(`${field}:`)) {
          const value = /^:[ \t]*/.exec(line.slice(field.length)) as RegExpExecArray;
          const valueStart = field.length + value[0].length;
          const end = line.replace(/\r$/, "").length;
          if (part === "value" && valueStart < end) return spanIn(b, offset + valueStart, offset + end);
          return spanIn(b, offset, offset + field.length);
        }
        offset += line.length + 1;
      }
      return FILE_START;
    },
    node: () => null,
  };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "").replace(/\.$/, "").trim();
}
