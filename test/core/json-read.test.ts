import fc from "fast-check";
import { findNodeAtLocation, getNodeValue, parseTree } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/parse/json.js";
import { LineIndex } from "../../src/parse/position.js";

/** A value with each object's keys in order and whether it has a prototype, which rules may tell apart. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== "object") return value;
  return { prototype: Object.getPrototypeOf(value) === null ? "none" : "Object", entries: Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])]) };
}

describe("a valid JSON file", () => {
  it("has the value and the positions its tree gives, though the tree is built only when a position is asked for", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("__proto__", "constructor", "0", "10")), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), fc.boolean(), (object, pretty) => {
        const text = JSON.stringify(object, null, pretty ? 2 : undefined);
        const parsed = parseJson(text);
        const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
        expect(parsed.problems).toEqual([]);
        expect(shape(parsed.value)).toEqual(shape(tree ? getNodeValue(tree) : undefined));
        const index = new LineIndex(text);
        for (const key of Object.keys(object)) {
          const node = tree && findNodeAtLocation(tree, [key]);
          if (!node) continue;
          expect(parsed.locate([key])).toEqual(index.span(node.offset, node.offset + node.length));
          expect(parsed.has([key])).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a __proto__ key as a key, in objects without a prototype, as its tree does", () => {
    const text = '{"__proto__": {"polluted": true}, "name": "p", "constructor": 1}';
    const parsed = parseJson(text);
    expect(shape(parsed.value)).toEqual(shape(getNodeValue(parseTree(text) as NonNullable<ReturnType<typeof parseTree>>)));
    expect(Object.keys(parsed.value as object)).toEqual(["__proto__", "name", "constructor"]);
    expect(Object.getPrototypeOf(parsed.value)).toBeNull();
  });

  it("that is not JSON still says where", () => {
    expect(parseJson('{"name": "p",}').problems).toEqual([{ kind: "syntax", message: "The file is not valid JSON: a trailing comma before `}` (JSON allows none).", span: { line: 1, column: 14, endLine: 1, endColumn: 15 } }]);
  });
});
