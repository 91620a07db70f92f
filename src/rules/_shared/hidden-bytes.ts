import type { Span } from "../../parse/position.js";
import { hiddenCharacters } from "./hidden-characters.js";

/** A run of invisible or bidirectional characters found in a file's bytes, where it stands and what it holds. */
export interface HiddenBytes {
  span: Span;
  codePoints: number[];
}

/**
 * The hidden characters of each Markdown file the scan read, by its parsed form: found in the
 * raw bytes when the file is read, since the text after the frontmatter is never decoded.
 */
export const hiddenInMarkdown = new WeakMap<object, readonly HiddenBytes[]>();

/** The code point of a hidden character encoded at `i`, and its length in bytes; null for anything else. */
function hiddenAt(b: Uint8Array, i: number): { cp: number; size: number } | null {
  const b0 = b[i];
  if (b0 === 0xe2) {
    const b1 = b[i + 1];
    const b2 = b[i + 2] ?? 0;
    // U+200B–U+200F, U+202A–U+202E; U+2060–U+2064, U+2066–U+2069.
    if (b1 === 0x80 && ((b2 >= 0x8b && b2 <= 0x8f) || (b2 >= 0xaa && b2 <= 0xae))) return { cp: 0x2000 + (b2 - 0x80), size: 3 };
    if (b1 === 0x81 && ((b2 >= 0xa0 && b2 <= 0xa4) || (b2 >= 0xa6 && b2 <= 0xa9))) return { cp: 0x2040 + (b2 - 0x80), size: 3 };
    return null;
  }
  // U+FEFF past the first byte: a byte order mark at the start is the file rule's business.
  if (b0 === 0xef) return i > 0 && b[i + 1] === 0xbb && b[i + 2] === 0xbf ? { cp: 0xfeff, size: 3 } : null;
  // Tag characters U+E0000–U+E007F: F3 A0 80 80 to F3 A0 81 BF.
  if (b0 === 0xf3 && b[i + 1] === 0xa0) {
    const b2 = b[i + 2] ?? 0;
    const b3 = b[i + 3] ?? 0;
    if ((b2 === 0x80 || b2 === 0x81) && b3 >= 0x80 && b3 <= 0xbf) return { cp: 0xe0000 + ((b2 - 0x80) << 6) + (b3 - 0x80), size: 4 };
  }
  return null;
}

/**
 * The first two bytes of every hidden character's encoding. Searching for pairs, not lead bytes,
 * passes over the dashes, quotes, arrows and box-drawing lines that share the lead byte 0xE2.
 */
const LEADS = [
  [0xe2, 0x80],
  [0xe2, 0x81],
  [0xef, 0xbb],
  [0xf3, 0xa0],
].map((pair) => Buffer.from(pair));

/**
 * The hidden characters of a UTF-8 file, in runs, with 1-based lines and UTF-16 columns as the
 * decoded text would give them. Only the bytes that can start one are looked at (by `indexOf`,
 * which runs natively), so a file without them costs four searches; the joiners that emoji and
 * Arabic or Indic spelling use are left out, judged on the text around each run.
 */
export function hiddenBytes(bytes: Uint8Array): HiddenBytes[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const next = LEADS.map((lead) => buffer.indexOf(lead));
  const out: HiddenBytes[] = [];
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  for (;;) {
    let at = -1;
    for (const n of next) if (n !== -1 && (at === -1 || n < at)) at = n;
    if (at === -1) return out;
    let end = at;
    const codePoints: number[] = [];
    for (let hit = hiddenAt(buffer, end); hit; hit = hiddenAt(buffer, end)) {
      codePoints.push(hit.cp);
      end += hit.size;
    }
    if (codePoints.length > 0 && keeps(buffer, at, end)) {
      for (let nl = buffer.indexOf(0x0a, counted); nl !== -1 && nl < at; nl = buffer.indexOf(0x0a, nl + 1)) {
        line++;
        lineStart = nl + 1;
      }
      counted = at;
      const column = buffer.toString("utf8", lineStart, at).length + 1;
      const width = codePoints.reduce((n, cp) => n + (cp > 0xffff ? 2 : 1), 0);
      out.push({ span: { line, column, endLine: line, endColumn: column + width }, codePoints });
    }
    const from = Math.max(end, at + 1);
    for (let i = 0; i < next.length; i++) if ((next[i] as number) !== -1 && (next[i] as number) < from) next[i] = buffer.indexOf(LEADS[i] as Buffer, from);
  }
}

/** Whether a run is hidden in its context: hiddenCharacters judges the text a few characters either side. */
function keeps(buffer: Buffer, start: number, end: number): boolean {
  let from = Math.max(0, start - 12);
  while (from < start && ((buffer[from] as number) & 0xc0) === 0x80) from++;
  let to = Math.min(buffer.length, end + 12);
  while (to > end && to < buffer.length && ((buffer[to] as number) & 0xc0) === 0x80) to--;
  // The space keeps a byte order mark at the window's start from reading as the file's own.
  const before = ` ${buffer.toString("utf8", from, start)}`;
  const text = before + buffer.toString("utf8", start, to);
  return hiddenCharacters(text).some((run) => run.start <= before.length && run.end > before.length);
}
