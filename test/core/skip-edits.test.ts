import { describe, expect, it } from "vitest";
import { ARTIFACT_TYPES } from "../../src/model.js";
import { editSkips, parseSkipFile, SkipEditError, type SkipEdit, type SkipEntry } from "../../src/skips/index.js";
import { KEY_SYNTAX, keySyntax } from "../../src/skips/resolve.js";

const entry = (key: string, reason: string | null = null): SkipEntry => ({ key, reason, by: "hubot", at: "2026-11-21T09:00:00Z", ref: null });
const skip = (key: string, reason: string | null = null): SkipEdit => ({ verb: "skip", entry: entry(key, reason) });
const unskip = (key: string): SkipEdit => ({ verb: "unskip", key });
const keysOf = (text: string): string[] => parseSkipFile(text).skip.map((e) => e.key);

/** A hand-written file: comments everywhere, the skip list in the middle, odd but valid spacing. */
const handWritten = `# settings for this repository
skip:
  # legacy things
  - key: skill:a   # first
    reason: old
  - skill:b
  -   key: skill:c
      reason: "quoted: yes"

  - key: skill:d
# the profile comes last here
profile:   agentskills  # strict
`;

describe("editing the skip list in one pass", () => {
  it("applies edits in order and says which changed anything", () => {
    const { text, changed, applied } = editSkips(handWritten, [skip("skill:e"), skip("skill:a"), unskip("skill:zz"), unskip("skill:b"), skip("skill:e"), unskip("skill:e"), skip("skill:f")]);
    expect(applied).toEqual([true, false, false, true, false, true, true]);
    expect(changed).toBe(true);
    expect(keysOf(text)).toEqual(["skill:a", "skill:c", "skill:d", "skill:f"]);
  });

  it("keeps every byte outside the edited entries: comments, spacing, key order", () => {
    const { text } = editSkips(handWritten, [unskip("skill:b"), skip("skill:e", "Broken on Windows")]);
    expect(text).toBe(`# settings for this repository
skip:
  # legacy things
  - key: skill:a   # first
    reason: old
  -   key: skill:c
      reason: "quoted: yes"

  - key: skill:d
  - key: skill:e
    reason: Broken on Windows
    by: hubot
    at: 2026-11-21T09:00:00Z
# the profile comes last here
profile:   agentskills  # strict
`);
  });

  it("cuts every entry of an unskipped key and nothing else", () => {
    const text = "skip:\n  - key: skill:a\n  - key: skill:b\n    reason: twice\n  - skill:a\n  - key: skill:c # keep\n";
    const result = editSkips(text, [unskip("skill:a")]);
    expect(result).toEqual({ text: "skip:\n  - key: skill:b\n    reason: twice\n  - key: skill:c # keep\n", changed: true, applied: [true] });
  });

  it("changes nothing when nothing applies", () => {
    expect(editSkips(handWritten, [skip("skill:a"), unskip("skill:nope")])).toEqual({ text: handWritten, changed: false, applied: [false, false] });
    expect(editSkips(null, [unskip("skill:a")])).toEqual({ text: "", changed: false, applied: [false] });
  });

  it("creates the file with its header and every entry", () => {
    const { text, applied } = editSkips(null, [skip("skill:a"), skip("command:b")]);
    expect(applied).toEqual([true, true]);
    expect(text).toMatch(/^# skilldex settings and skip preferences\./);
    expect(keysOf(text)).toEqual(["skill:a", "command:b"]);
  });

  it("writes new entries with the file's CRLF line endings", () => {
    const crlf = "profile: claude-code\r\nskip:\r\n  - key: skill:a\r\n    reason: old\r\n";
    const { text } = editSkips(crlf, [skip("skill:b", "two\nlines"), skip("skill:c")]);
    expect(text.startsWith(crlf)).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(parseSkipFile(text).skip.map((e) => [e.key, e.reason])).toEqual([
      ["skill:a", "old"],
      ["skill:b", "two\nlines"],
      ["skill:c", null],
    ]);
    const added = editSkips("profile: claude-code\r\n", [skip("skill:d")]).text;
    expect(added).toBe("profile: claude-code\r\nskip:\r\n  - key: skill:d\r\n    by: hubot\r\n    at: 2026-11-21T09:00:00Z\r\n");
    // Through the printer too (a flow list), the endings stay CRLF.
    const flow = editSkips("# c\r\nskip: [skill:a]\r\n", [skip("skill:b")]).text;
    expect(flow.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(keysOf(flow)).toEqual(["skill:a", "skill:b"]);
  });

  it("adds under an empty `skip:`, keeping its comment, and empties a list to `skip:`", () => {
    const { text } = editSkips("skip:  # none yet\nprofile: claude-code\n", [skip("skill:a")]);
    expect(text).toBe("skip:  # none yet\n  - key: skill:a\n    by: hubot\n    at: 2026-11-21T09:00:00Z\nprofile: claude-code\n");
    const emptied = editSkips(text, [unskip("skill:a")]).text;
    expect(emptied).toBe("skip:  # none yet\nprofile: claude-code\n");
    expect(parseSkipFile(emptied).skip).toEqual([]);
  });

  it("reads an empty `skip:` or `exclude:` as an empty list", () => {
    expect(parseSkipFile("exclude:\nskip:\n")).toEqual({ profile: null, exclude: [], skipPreferences: true, skip: [] });
    expect(parseSkipFile("exclude: ~\nskip: null\n")).toMatchObject({ exclude: [], skip: [] });
  });

  it("quotes whatever YAML needs quoted, and reads every value back as given", () => {
    const odd = ["#7", "key: value", "- dash", "null", "1e3", "  spaced", "it's", 'say "hi"', "tab\there", "two\nlines\n", "\u001b[31mred"];
    const edits = odd.map((reason, i): SkipEdit => ({ verb: "skip", entry: { key: `skill:s${i}`, reason, by: reason, at: null, ref: reason } }));
    const { text } = editSkips("skip:\n  - key: skill:a\n", edits);
    expect(parseSkipFile(text).skip.slice(1).map((e) => [e.reason, e.by, e.ref])).toEqual(odd.map((v) => [v, v, v]));
  });

  it("goes through the YAML printer for a flow list, and still reads back", () => {
    const { text, applied } = editSkips("profile: claude-code # strict\nskip: [skill:a, skill:b]\n", [unskip("skill:a"), skip("skill:c")]);
    expect(applied).toEqual([true, true]);
    expect(text).toContain("# strict");
    expect(keysOf(text)).toEqual(["skill:b", "skill:c"]);
  });

  it("refuses a key the file cannot hold, before anything is written", () => {
    for (const key of ["skill:a\nb", "skill:a\u2028b", "skill:a\u2029b", "skill:\u001b[2J", "skill:a\rb", "skill:a\u0085b"]) {
      expect(() => editSkips(null, [skip("skill:ok"), skip(key)]), JSON.stringify(key)).toThrow(SkipEditError);
    }
  });

  it("refuses to edit a file it cannot read", () => {
    expect(() => editSkips("skip: {\n", [skip("skill:a")])).toThrow(/not valid YAML/);
  });

  it("edits 10,000 keys in one pass", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => skip(`skill:legacy/s${i}`, "Using alternative implementation"));
    const started = performance.now();
    const { text, applied } = editSkips(handWritten, many);
    // About a second on a slow machine; one parse per key took over an hour.
    expect(performance.now() - started).toBeLessThan(10_000);
    const again = editSkips(text, many.slice(0, 5_000).map((e) => unskip((e as { entry: SkipEntry }).entry.key)));
    expect(applied.every(Boolean)).toBe(true);
    expect(keysOf(text)).toHaveLength(4 + 10_000);
    expect(text.startsWith(handWritten.slice(0, handWritten.indexOf("# the profile")))).toBe(true);
    expect(text.endsWith("# the profile comes last here\nprofile:   agentskills  # strict\n")).toBe(true);
    expect(again.applied.every(Boolean)).toBe(true);
    expect(keysOf(again.text).slice(4)).toEqual(many.slice(5_000).map((e) => (e as { entry: SkipEntry }).entry.key));
  });
});

describe("the key syntax", () => {
  it("takes every artifact type the model names", () => {
    for (const type of ARTIFACT_TYPES) expect(KEY_SYNTAX.test(`${type}:some/name`), type).toBe(true);
    expect(KEY_SYNTAX.test("widget:a")).toBe(false);
  });

  it("is built from the type list, hyphens and all", () => {
    const syntax = keySyntax(["skill", "output-style", "lsp"]);
    expect(syntax.test("output-style:tools/terse")).toBe(true);
    expect(syntax.test("outputXstyle:tools/terse")).toBe(false);
  });

  it("takes names with spaces and any printable character, and refuses control characters and separators", () => {
    expect(["skill:my skill", "skill:é", "skill:\u{1F469}\u200D\u{1F4BB}", "plugin:a.b-c_d"].every((k) => KEY_SYNTAX.test(k))).toBe(true);
    for (const key of ["skill:a\nb", "skill:a\u2028b", "skill:a\u2029b", "skill:a\u0000", "skill:\u001b", "skill:a\u007fb", "skill:a\u0085b", "skill:a\tb", "skill: a", "skill:a "]) {
      expect(KEY_SYNTAX.test(key), JSON.stringify(key)).toBe(false);
    }
  });
});
