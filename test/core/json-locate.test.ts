import fc from "fast-check";
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { parseJson, type JsonPath } from "../../src/parse/json.js";
import { FILE_START, LineIndex, type Span } from "../../src/parse/position.js";

/** Where a finding at a path points, read from jsonc-parser's tree of the whole file. */
function viaTree(text: string, path: JsonPath, part: "key" | "value"): Span {
  const tree = parseTree(text, [], { disallowComments: true }) as Node;
  const index = new LineIndex(text);
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (!node) continue;
    const key = node.parent?.type === "property" ? node.parent.children?.[0] : undefined;
    if (depth < path.length || part === "key") return key ? index.span(key.offset, key.offset + key.length) : index.span(node.offset, node.offset + 1);
    return index.span(node.offset, node.offset + node.length);
  }
  return FILE_START;
}

/** Every path into a value, one step further than its leaves, and past their ends. */
function pathsOf(value: unknown, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at, [...at, "missing"], [...at, 99]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i]), [...at, String(i)]));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

describe("positions in a valid JSON file", () => {
  it("are those its tree gives, for keys and values at any depth, escaped keys, repeated keys and paths that lead nowhere", () => {
    const key = fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom('a"b', "back\\slash", "__proto__", "0", "é", "😀"));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 2, "\t", " \r\n"), (value, space) => {
        const text = JSON.stringify(typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, [fc.sample(key, 1)[0] as string]: value } : value, null, space);
        const parsed = parseJson(text);
        for (const path of pathsOf(JSON.parse(text))) {
          for (const part of ["key", "value"] as const) expect(parsed.locate(path, part), `${JSON.stringify(path)} ${part}`).toEqual(viaTree(text, path, part));
          expect(parsed.has(path)).toBe(findNodeAtLocation(parseTree(text) as Node, path) !== undefined);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("point at the first of two properties with the same key, as Claude Code's validator does", () => {
    const text = '{\n  "name": "a",\n  "name": "b",\n  "x\\u0022y": [1, {"k": true}]\n}';
    const parsed = parseJson(text);
    expect(parsed.locate(["name"])).toEqual({ line: 2, column: 11, endLine: 2, endColumn: 14 });
    expect(parsed.locate(['x"y', 1, "k"], "key")).toEqual({ line: 4, column: 20, endLine: 4, endColumn: 23 });
    // A path that stops short at an array's element points at its opening brace.
    expect(parsed.locate(['x"y', 1, "gone"])).toEqual({ line: 4, column: 19, endLine: 4, endColumn: 20 });
  });
});
