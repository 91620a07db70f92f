import type { TextEdit } from "../rules/types.js";

/** One finding's repair in one file: edits that go in together or not at all. */
export type FileFix = Omit<TextEdit, "file">[];

/**
 * Splices the fixes into the text, ESLint's way: fixes are taken in the order they start, and one
 * that overlaps a fix already taken (or touches it, when the order of two inserts would matter)
 * waits for the next pass, which re-scans first. A fix identical to one taken is the same repair
 * found by two rules, and is dropped. Everything outside the edits is kept byte for byte.
 */
export function spliceFixes(text: string, fixes: readonly FileFix[]): { text: string; applied: number[]; deferred: number[] } {
  const candidates = fixes
    .map((edits, index) => ({ index, edits: sortedEdits(edits) }))
    .filter(({ edits }) => fitsText(text, edits))
    .sort((a, b) => (a.edits[0] as TextEdit).start - (b.edits[0] as TextEdit).start || a.index - b.index);
  const applied: number[] = [];
  const deferred: number[] = [];
  const taken = new Set<string>();
  const edits: FileFix = [];
  let lastEnd = -1;
  for (const { index, edits: fix } of candidates) {
    const id = JSON.stringify(fix);
    if (taken.has(id)) continue;
    const start = (fix[0] as TextEdit).start;
    if (start <= lastEnd) {
      deferred.push(index);
      continue;
    }
    taken.add(id);
    applied.push(index);
    edits.push(...fix);
    lastEnd = (fix[fix.length - 1] as TextEdit).end;
  }
  let out = "";
  let pos = 0;
  for (const edit of edits) {
    out += text.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  return { text: out + text.slice(pos), applied, deferred };
}

/** A fix's edits in the order they start. */
export function sortedEdits(fix: FileFix): FileFix {
  return [...fix].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Whether sorted edits can go into the text together: at least one, each within it, none overlapping the next. */
export function fitsText(text: string, edits: FileFix): boolean {
  return edits.length > 0 && edits.every((e, i) => e.start <= e.end && e.end <= text.length && (i === 0 || (edits[i - 1] as TextEdit).end <= e.start));
}
