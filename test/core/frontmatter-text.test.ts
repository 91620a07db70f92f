import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/parse/markdown.js";
import { decodeFrontmatterText, decodeText } from "../../src/parse/text.js";

const PIECES = ["---", "---\n", "--- \n", "\n", "\r\n", "name: x\n", "description: |\n  Reads PDFs.\n", "tools: [Read]\n", "  ", "\t", "é", "😀", "\u00a0", "\u2028", "# Title\n", "body text ", "-"];
const BYTES = [[0xef, 0xbb, 0xbf], [0x00], [0xff], [0xc3], [0xed, 0xa0, 0x80]];

/** A Markdown file's bytes: mostly text pieces, now and then a BOM, a NUL or bytes that are not UTF-8. */
const file = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PIECES).map((piece) => Buffer.from(piece)) }, { weight: 1, arbitrary: fc.constantFrom(...BYTES).map((bytes) => Buffer.from(bytes)) }), { maxLength: 14 })
  .map((parts) => Buffer.concat(parts));

describe("a Markdown file decoded up to its frontmatter", () => {
  it("has the problems of the whole text and parses as the whole text does", () => {
    fc.assert(
      fc.property(file, (bytes) => {
        const head = decodeFrontmatterText(bytes);
        const whole = decodeText(bytes);
        expect(head.problems).toEqual(whole.problems);
        expect(head.text === null).toBe(whole.text === null);
        if (head.text === null || whole.text === null) return;
        const a = parseMarkdown(head.text);
        const b = parseMarkdown(whole.text);
        for (const view of ["spec", "claude"] as const) {
          expect(a[view].data).toEqual(b[view].data);
          expect(a[view].problems).toEqual(b[view].problems);
          for (const key of ["name", "description", "tools"]) expect(a[view].locate(key, "value")).toEqual(b[view].locate(key, "value"));
        }
        expect(a.spec.strict).toEqual(b.spec.strict);
        expect(a.claude.yamlError).toEqual(b.claude.yamlError);
      }),
      { numRuns: 3000 },
    );
  });

  it("does not decode the body", () => {
    const text = `---\nname: pdf\n---\n\n${"Body. ".repeat(1000)}\r\n`;
    const head = decodeFrontmatterText(Buffer.from(text));
    expect(head.text).toBe("---\nname: pdf\n---");
    expect(head.problems.map((p) => [p.kind, p.span.line])).toEqual([["line-endings", 5]]);
  });
});
