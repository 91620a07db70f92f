import { isUtf8 } from "node:buffer";
import type { Span } from "./position.js";
import { FILE_START, LineIndex } from "./position.js";

/** What can be wrong with a file before its format is even looked at. */
export type TextProblemKind = "empty" | "binary" | "encoding" | "bom" | "line-endings";

export interface TextProblem {
  kind: TextProblemKind;
  message: string;
  span: Span;
  /** A fatal problem leaves nothing to parse. */
  fatal: boolean;
}

export interface DecodedText {
  /** The text with any byte order mark removed; null when a fatal problem left none. */
  text: string | null;
  problems: TextProblem[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** How far to look for a NUL byte: git's own binary test looks at the first 8,000 bytes. */
const BINARY_PROBE = 8000;

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) {
    return { text: null, problems: [{ kind: "empty", message: "The file is empty.", span: FILE_START, fatal: true }] };
  }
  const nul = bytes.subarray(0, BINARY_PROBE).indexOf(0);
  if (nul !== -1) {
    return {
      text: null,
      problems: [{ kind: "binary", message: `The file is binary (a NUL byte at offset ${nul}), not text.`, span: FILE_START, fatal: true }],
    };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = Buffer.from(bytes.subarray(0, offset)).toString("utf8");
    const span = new LineIndex(before).span(before.length, before.length);
    return {
      text: null,
      problems: [{ kind: "encoding", message: `The file is not valid UTF-8 (first bad byte at offset ${offset}); save it as UTF-8.`, span, fatal: true }],
    };
  }
  const problems: TextProblem[] = [];
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    problems.push({ kind: "bom", message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM.", span: FILE_START, fatal: false });
  }
  if (text.trim() === "") {
    problems.push({ kind: "empty", message: "The file holds only white space.", span: FILE_START, fatal: true });
    return { text: null, problems };
  }
  const crlf = text.indexOf("\r\n");
  if (crlf !== -1) {
    const span = new LineIndex(text).span(crlf, crlf);
    problems.push({
      kind: "line-endings",
      message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes.",
      span,
      fatal: false,
    });
  }
  return { text, problems };
}

/**
 * `decodeText` for a Markdown file, whose readers look at its frontmatter alone: the whole file
 * is checked (encoding, NUL bytes, BOM, white space, line endings) on its bytes, and only the
 * text up to the frontmatter's closing `---` is decoded, which parses exactly as the whole text
 * would. The problems are the ones `decodeText` finds; anything unusual is left to it.
 */
export function decodeFrontmatterText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0 || !isUtf8(bytes) || bytes.subarray(0, BINARY_PROBE).indexOf(0) !== -1) return decodeText(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  let first = start;
  while (first < buffer.length && isAsciiSpace(buffer[first] as number)) first++;
  // Only white space, or a first character that may be white space outside ASCII: decodeText decides.
  if (first === buffer.length || (buffer[first] as number) >= 0x80) return decodeText(bytes);
  let end = Math.min(buffer.length, start + 3);
  if (buffer.toString("latin1", start, end) === "---") {
    // The first `---` after the opening one closes the block for both readers; nothing after it is read.
    const close = buffer.indexOf("---", start + 3, "latin1");
    end = close === -1 ? buffer.length : close + 3;
  }
  const problems: TextProblem[] = [];
  if (start === 3) problems.push({ kind: "bom", message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM.", span: FILE_START, fatal: false });
  const crlf = buffer.indexOf("\r\n", start, "latin1");
  if (crlf !== -1) {
    const before = buffer.toString("utf8", start, crlf);
    problems.push({
      kind: "line-endings",
      message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes.",
      span: new LineIndex(before).span(before.length, before.length),
      fatal: false,
    });
  }
  return { text: buffer.toString("utf8", start, end), problems };
}

function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, found by bisection: decoding is all-or-nothing.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isValidUtf8Prefix(bytes.subarray(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  // The longest prefix may end inside a sequence that the next byte breaks: the fault starts there.
  let start = lo;
  while (start > 0 && start > lo - 4 && ((bytes[start - 1] as number) & 0xc0) === 0x80) start--;
  if (start > 0 && ((bytes[start - 1] as number) & 0xc0) === 0xc0 && !isValidUtf8(bytes.subarray(0, lo))) return start - 1;
  return lo;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    // Streaming mode accepts a sequence cut short at the end, which a prefix may be.
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Control characters, line and paragraph separators, and the bidirectional overrides that reorder what a terminal shows. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/gu;
const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

/**
 * Text from a repository (a name, a path, a reason) made safe to print on one line: every
 * control character is shown escaped (`\n`, `\u001b`), so a name cannot forge a line of a
 * report or send a terminal an escape sequence. A backslash is doubled only where the text
 * holds something escaped, so ordinary text prints as it is.
 */
export function escapeControls(text: string): string {
  if (!/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(text)) return text;
  return text.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`);
}

/**
 * A count with its thousands grouped, `1,024`, as `toLocaleString("en-US")` writes a whole number,
 * without starting ICU for it (about 15 ms at a process's first call).
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
