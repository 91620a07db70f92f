/** A 1-based span in a file. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export const FILE_START: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Turns character offsets of a text into 1-based lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(
    text: string,
    /** Lines that precede `text` in its file, as for frontmatter after the opening `---`. */
    private readonly lineOffset = 0,
  ) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  point(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1 + this.lineOffset, column: offset - (this.starts[lo] as number) + 1 };
  }

  span(start: number, end: number): Span {
    const a = this.point(start);
    const b = this.point(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}
