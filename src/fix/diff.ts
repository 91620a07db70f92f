/** Lines of context around each change, as `diff -u` and `git diff` print. */
const CONTEXT = 3;

type Op = { kind: " " | "-" | "+"; line: string };

/** Lines deleted and inserted past which the diff stops looking for the fewest: memory stays bounded. */
const MAX_CHANGES = 500;

/**
 * A unified diff of one file, `git apply`-ready: `a/` and `b/` paths, hunks with three lines of
 * context, and the "\ No newline at end of file" marker where a side does not end in one.
 * Empty when the texts are the same.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let i = 0;
  while (i < ops.length) {
    if ((ops[i] as Op).kind === " ") {
      i++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT after the last change near it.
    let start = Math.max(0, i - CONTEXT);
    while (start > 0 && (ops[start - 1] as Op).kind !== " ") start--;
    let end = i;
    for (let j = i; j < ops.length; j++) {
      if ((ops[j] as Op).kind !== " ") end = j;
      else if (j - end > 2 * CONTEXT) break;
    }
    end = Math.min(ops.length, end + CONTEXT + 1);
    const hunk = ops.slice(start, end);
    const oldStart = ops.slice(0, start).filter((o) => o.kind !== "+").length;
    const newStart = ops.slice(0, start).filter((o) => o.kind !== "-").length;
    const oldCount = hunk.filter((o) => o.kind !== "+").length;
    const newCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@`);
    for (const op of hunk) {
      out.push(`${op.kind}${op.line.endsWith("\n") ? op.line.slice(0, -1) : op.line}`);
      if (!op.line.endsWith("\n")) out.push("\\ No newline at end of file");
    }
    i = end;
  }
  return `${out.join("\n")}\n`;
}

/** Lines with their line breaks, so a change of line ending or of the last newline shows. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Myers' O(ND) difference: the fewest lines deleted and inserted, found in time linear in the lines times the changes. */
function diffLines(a: string[], b: string[]): Op[] {
  // Common lines at both ends are kept out of the search: fixes touch a few lines of a file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x0 = a.slice(head, a.length - tail);
  const y0 = b.slice(head, b.length - tail);
  const n = x0.length;
  const m = y0.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    // The trace grows with the square of the changes: past a bound, the middle is replaced whole, still a correct patch.
    if (d > MAX_CHANGES) return [...a.slice(0, head).map((line): Op => ({ kind: " ", line })), ...x0.map((line): Op => ({ kind: "-", line })), ...y0.map((line): Op => ({ kind: "+", line })), ...a.slice(a.length - tail).map((line): Op => ({ kind: " ", line }))];
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? 0) < (v.get(k + 1) ?? 0)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Map<number, number>;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? 0) < (vd.get(k + 1) ?? 0)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      middle.push({ kind: " ", line: x0[x] as string });
    }
    if (d > 0) {
      if (x === prevX) middle.push({ kind: "+", line: y0[--y] as string });
      else middle.push({ kind: "-", line: x0[--x] as string });
    }
  }
  middle.reverse();
  return [...a.slice(0, head).map((line): Op => ({ kind: " ", line })), ...middle, ...a.slice(a.length - tail).map((line): Op => ({ kind: " ", line }))];
}

/** The changes of a fix run as one patch, file by file (`git apply` takes it): what `--dry-run` prints and the Action can publish. */
export function fixPatch(changes: readonly { file: string; before: string; after: string }[]): string {
  return changes.map((c) => unifiedDiff(c.file, c.before, c.after)).join("");
}
