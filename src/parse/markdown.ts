import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import { FILE_START, LineIndex, type Span } from "./position.js";

export type FrontmatterProblemKind = "missing" | "unclosed" | "yaml" | "not-mapping";

export interface FrontmatterProblem {
  kind: FrontmatterProblemKind;
  message: string;
  span: Span;
}

/** A Markdown file with YAML frontmatter, parsed so that every key and value has a position. */
export interface ParsedMarkdown {
  format: "markdown";
  /** The frontmatter's fields, or null when there is none usable. */
  data: Record<string, unknown> | null;
  /**
   * When the frontmatter is not valid YAML: its top-level `key: value` lines read one by one, the
   * way lenient loaders such as Claude Code's still get a name and a description out of it.
   */
  lenient: Record<string, string> | null;
  problems: FrontmatterProblem[];
  /** The body after the closing `---` (or the whole text without frontmatter). */
  body: string;
  /** Where a top-level field's key, or its value, stands; the opening `---` when it is absent. */
  locate(field: string, part?: "key" | "value"): Span;
  /** The source text of a field's value exactly as written (for rules about quoting or flow style). */
  node(field: string): Node | null;
  document: Document | null;
}

const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*\r?$/m;

export function parseMarkdown(text: string): ParsedMarkdown {
  const opening = OPENING.exec(text);
  if (!opening) {
    const problem: FrontmatterProblem =
      text.startsWith("---") && !text.includes("\n")
        ? { kind: "unclosed", message: "The frontmatter opened with `---` is never closed by a second `---` line.", span: FILE_START }
        : { kind: "missing", message: "The file has no YAML frontmatter: it must start with a `---` line.", span: FILE_START };
    return withoutFrontmatter(text, problem);
  }
  const yamlStart = opening[0].length;
  const rest = text.slice(yamlStart);
  const closing = CLOSING.exec(rest);
  if (!closing) {
    return withoutFrontmatter(text, {
      kind: "unclosed",
      message: "The frontmatter opened with `---` on line 1 is never closed by a second `---` line.",
      span: FILE_START,
    });
  }
  const yamlText = rest.slice(0, closing.index);
  const afterClosing = yamlStart + closing.index + closing[0].length;
  const body = text.slice(afterClosing).replace(/^\n/, "");
  const index = new LineIndex(yamlText, 1);
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: FrontmatterProblem[] = [];
  // Only the first syntax error: the rest are most often echoes of it.
  for (const error of document.errors.slice(0, 1)) {
    const [start, end] = error.pos;
    problems.push({ kind: "yaml", message: `The frontmatter is not valid YAML: ${firstLine(error.message)}.`, span: index.span(start, end) });
  }
  let data: Record<string, unknown> | null = null;
  if (problems.length === 0) {
    const contents = document.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      data = {};
    } else if (!isMap(contents)) {
      const range = (contents as Node).range ?? [0, 0, 0];
      problems.push({ kind: "not-mapping", message: "The frontmatter must be a mapping of `key: value` fields.", span: index.span(range[0], range[1]) });
    } else {
      try {
        data = document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
      } catch (error) {
        problems.push({ kind: "yaml", message: `The frontmatter cannot be read: ${firstLine((error as Error).message)}.`, span: FILE_START });
      }
    }
  }
  const lenient = data === null && problems.some((p) => p.kind === "yaml") ? readLines(yamlText) : null;
  const pairFor = (field: string): Pair | undefined => {
    const contents = document.contents;
    if (!isMap(contents)) return undefined;
    return contents.items.find((item) => isScalar(item.key) && item.key.value === field) as Pair | undefined;
  };
  return {
    format: "markdown",
    data,
    lenient: lenient?.values ?? null,
    problems,
    body,
    document,
    locate(field, part = "key") {
      const line = lenient?.lines[field];
      if (line !== undefined) return index.span(line.start + (part === "value" ? line.valueOffset : 0), line.end);
      const pair = pairFor(field);
      const keyRange = (pair?.key as Node | undefined)?.range;
      if (!pair || !keyRange) return FILE_START;
      const valueRange = (pair.value as Node | null)?.range;
      if (part === "value" && valueRange) return index.span(valueRange[0], valueRange[1]);
      return index.span(keyRange[0], keyRange[1]);
    },
    node(field) {
      return (pairFor(field)?.value as Node | null | undefined) ?? null;
    },
  };
}

function withoutFrontmatter(text: string, problem: FrontmatterProblem): ParsedMarkdown {
  return {
    format: "markdown",
    data: null,
    lenient: null,
    problems: [problem],
    body: text,
    document: null,
    locate: () => FILE_START,
    node: () => null,
  };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/\.$/, "").trim();
}

const FIELD_LINE = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+|$)(.*)$/;

/** Top-level `key: value` lines, with their offsets; indented lines continue the previous value. */
function readLines(yaml: string): { values: Record<string, string>; lines: Record<string, { start: number; valueOffset: number; end: number }> } {
  const values: Record<string, string> = {};
  const lines: Record<string, { start: number; valueOffset: number; end: number }> = {};
  let offset = 0;
  let current: string | null = null;
  for (const raw of yaml.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const match = FIELD_LINE.exec(line);
    if (match) {
      current = match[1] as string;
      const value = (match[2] as string).trim();
      if (!(current in values)) {
        values[current] = unquote(value);
        lines[current] = { start: offset, valueOffset: line.length - (match[2] as string).length, end: offset + line.length };
      }
    } else if (current !== null && /^\s/.test(line) && line.trim() !== "") {
      values[current] = `${values[current] ? `${values[current]} ` : ""}${line.trim()}`;
    }
    offset += raw.length + 1;
  }
  return { values, lines };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] as string) : value;
}
