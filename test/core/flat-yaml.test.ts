import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from "yaml";
import { readFlatYaml } from "../../src/parse/flat-yaml.js";
import { parseMarkdown } from "../../src/parse/markdown.js";

const KEYS = ["name", "description", "license", "allowed-tools", "x_y", "a-b", "true", "Null", "__proto__", "k"];
const SEPARATORS = [":", ": ", ":  ", ":\t", " :", ":x"];
const VALUES = [
  ...["x", "hello world", "C#", "a,b", "a]b", "{x} y", "café", "😀 ok", "50%", "a'b", 'a"b', "a\\b", "trail  ", "x\r"],
  ...["1", "1.0", "1.0.0", "0x1F", "0o7", "1e3", ".5", "+1", "-1", "true", "False", "null", "~", ".inf", ".NaN"],
  ...["'q'", "'it''s'", "'a'b'", '"dq"', '"a\\"b"', '"a: b"', "'", '"'],
  ...["[Read, Grep]", "[]", "[ a b ]", "[a,]", "[true]", "[1.0]", "[a: b]", "[a, [b]]", "[Bash(git:*)]", "[a] x"],
  ...['["a", "b c"]', "['x', \"y\"]", '["a, b", c]', '["a\\"b"]', "['it''s']", '["a" b]', '["#x", ": y", "[z]"]', "[\"\", 'z']", '["a",]', '["1", 2]', '[ "a" ,"b" ]', '["a]x"]', "[\"it's\", 'say \"hi\"']"],
  ...["a: b", "a #b", "ends:", "[a, b]", "&a x", "*a", "!t x", "- item", "? x", "%x", "@x", "`x`", "|", "|-", "|+", ">", ">-", "|2", "| # c"],
];
const CONTINUATIONS = ["  more", "  more text", "   deeper", "", "  ", "    ", "# c", "  # c", "- x", "\tx", "  a: b", "  - Read", "  - 'q'", "  - 1", "  -", "- a: b", "  - - x"];

const SAFE_KEYS = ["name", "description", "license", "allowed-tools", "x_y", "a-b", "k"];
const SAFE_VALUES = ["x", "hello world", "C#", "a,b", "{x} y", "café", "😀 ok", "1.0.0", "'it''s'", '"a: b"', "", "[Read, Grep]", "[]", '["code-review", "a, b: c #d"]'];
const BLOCK_LINES = ["  more", "  more text", "   deeper", "", "  "];

/** One key line, now and then followed by indented or blank lines; mostly what real frontmatter holds, often something it does not. */
const keyLine = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SAFE_KEYS), fc.constant(": "), fc.constantFrom(...SAFE_VALUES), fc.constant([] as string[])) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SAFE_KEYS), fc.constant(": "), fc.constantFrom("|", "|-", ">", ">-"), fc.array(fc.constantFrom(...BLOCK_LINES), { maxLength: 4 }).map((more) => ["  first", ...more])) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SAFE_KEYS), fc.constant(":"), fc.constant(""), fc.tuple(fc.constantFrom("", "  ", "    "), fc.array(fc.constantFrom("Read", "'q'", '"Bash"', "a b"), { minLength: 1, maxLength: 3 })).map(([indent, items]) => items.map((item) => `${indent}- ${item}`))) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SEPARATORS), fc.constantFrom(...VALUES), fc.array(fc.constantFrom(...CONTINUATIONS), { maxLength: 4 })) },
);

/** A frontmatter block of distinct keys (a duplicate sends the block to yaml, which the second property covers). */
const block = fc
  .tuple(fc.uniqueArray(keyLine, { minLength: 1, maxLength: 5, selector: ([key]) => key }), fc.boolean())
  .map(([lines, endsWithBreak]) => `\n${lines.map(([key, sep, value, more]) => [`${key}${sep}${value}`, ...more].join("\n")).join("\n")}${endsWithBreak ? "\n" : ""}`);

/** What `yaml` says of a block, in the terms the flat reader answers in. */
function yamlReading(yaml: string): { key: string; keyRange: [number, number]; valueRange: [number, number] | null; spec: string | string[]; claude: unknown }[] | null {
  const document = parseDocument(yaml, { uniqueKeys: false, prettyErrors: false });
  if (document.errors.length > 0 || !isMap(document.contents)) return null;
  const js = document.toJS() as Record<string, unknown>;
  return (document.contents.items as Pair<Node, Node | null>[]).map((pair) => {
    const value = pair.value;
    const range = value?.range && value.range[1] > value.range[0] ? ([value.range[0], value.range[1]] as [number, number]) : null;
    const text = (node: unknown): string => (isScalar(node) ? (node.type === "PLAIN" ? (node.source ?? "") : String(node.value ?? "")) : "(not a scalar)");
    const spec = isSeq(value) ? value.items.map(text) : text(value);
    const key = String((pair.key as { value: unknown }).value);
    return { key, keyRange: [pair.key.range?.[0] ?? -1, pair.key.range?.[1] ?? -1], valueRange: range, spec, claude: js[key] };
  });
}

describe("the flat frontmatter reader", () => {
  it("says what yaml says of every block it reads, and leaves the rest to yaml", () => {
    let read = 0;
    fc.assert(
      fc.property(block, (yaml) => {
        const fields = readFlatYaml(yaml);
        if (fields === null) return;
        read++;
        const flat = fields.map((f) => ({ key: f.key, keyRange: [f.keyStart, f.keyStart + f.key.length], valueRange: f.valueEnd > f.valueStart ? [f.valueStart, f.valueEnd] : null, spec: f.spec, claude: f.claude }));
        expect(flat).toEqual(yamlReading(yaml));
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the reader's own path often enough for the property to mean something.
    expect(read).toBeGreaterThan(500);
  });

  it("reads one-line, quoted and block values", () => {
    const yaml = "\nname: pdf\ndescription: |\n  Reads PDFs.\n\n    Indented.\nlicense: 'it''s MIT'\nwhen: >-\n  folded\n  lines\n\n  paragraph\ntools:\n  - Read\n  - \"Grep\"\ntags: [pdf, documents]\ncapabilities: [\"code-review\", 'a, b']\nempty:\n";
    expect(readFlatYaml(yaml)?.map((f) => [f.key, f.spec, f.claude, f.flow])).toEqual([
      ["name", "pdf", "pdf", false],
      ["description", "Reads PDFs.\n\n  Indented.\n", "Reads PDFs.\n\n  Indented.\n", false],
      ["license", "it's MIT", "it's MIT", false],
      ["when", "folded lines\nparagraph", "folded lines\nparagraph", false],
      ["tools", ["Read", "Grep"], ["Read", "Grep"], false],
      ["tags", ["pdf", "documents"], ["pdf", "documents"], true],
      ["capabilities", ["code-review", "a, b"], ["code-review", "a, b"], true],
      ["empty", "", null, false],
    ]);
  });

  it.each([
    ["a number", "version: 1.0\n"],
    ["a boolean", "disable-model-invocation: true\n"],
    ["a list of lists", "tools:\n  - - Read\n"],
    ["a list with a blank line", "tools:\n  - Read\n\n  - Grep\n"],
    ["a flow list of other than words", "tools: [Bash(git:*)]\n"],
    ["a flow list with an escape", 'tools: ["a\\tb"]\n'],
    ["a comment", "name: x # the name\n"],
    ["an escape", 'description: "a\\tb"\n'],
    ["a duplicate key", "name: a\nname: b\n"],
    ["a tab", "name:\tx\n"],
    ["CRLF line endings", "name: x\r\n"],
    ["a value with `: `", "description: Use it: always\n"],
  ])("leaves %s to yaml", (_what, yaml) => {
    expect(readFlatYaml(`\n${yaml}`)).toBeNull();
  });
});

describe("frontmatter read without the YAML library", () => {
  it("gives both profiles' readers the fields, types and positions yaml gives", () => {
    fc.assert(
      fc.property(block, (yaml) => {
        if (readFlatYaml(yaml) === null || yaml.includes("---")) return;
        const flat = parseMarkdown(`---${yaml}---\n\nBody.\n`);
        // A comment changes no field and no position, but only yaml reads a block that has one.
        const viaYaml = parseMarkdown(`---${yaml}${yaml.endsWith("\n") ? "" : "\n"}# note\n---\n\nBody.\n`);
        for (const view of ["spec", "claude"] as const) {
          expect(flat[view].data).toEqual(viaYaml[view].data);
          expect(flat[view].problems).toEqual(viaYaml[view].problems);
          for (const key of [...Object.keys(flat[view].data ?? {}), "absent"]) {
            expect(flat[view].locate(key)).toEqual(viaYaml[view].locate(key));
            expect(flat[view].locate(key, "value")).toEqual(viaYaml[view].locate(key, "value"));
          }
        }
        expect(flat.spec.strict).toEqual(viaYaml.spec.strict);
        expect(flat.claude.repaired).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
