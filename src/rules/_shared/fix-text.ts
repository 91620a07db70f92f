import type { RuleFix } from "../types.js";
import type { Span } from "../../parse/position.js";

/**
 * The offset in a file's text (a BOM included) of a 1-based line and column that a parse gave:
 * parses see the text with its BOM removed, and count columns in UTF-16 units as offsets do.
 */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + column - 1, text.length);
}

/** A span's start and end offsets in a file's text. */
export function spanOffsets(text: string, span: Span): { start: number; end: number } {
  return { start: offsetAt(text, span.line, span.column), end: offsetAt(text, span.endLine, span.endColumn) };
}

/** Where the frontmatter's YAML lies in a file's text, as both readers find it: after the first `---`, up to the next. */
export function frontmatterRange(text: string): { start: number; end: number } | null {
  const open = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith("---", open)) return null;
  const close = text.indexOf("---", open + 3);
  return close === -1 ? null : { start: open + 3, end: close };
}

/** The `fix` part of a finding: nothing when there is no fix (the report's optional fields stay absent). */
export function withFix(fix: RuleFix | undefined): { fix?: RuleFix } {
  return fix ? { fix } : {};
}

/** The offset just past the line holding `offset - 1`: where a node that ends at `offset` ends its line. */
export function endOfLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}
