import { describe, expect, test } from "vitest";
import { MAX_COMMANDS, parseComment, parseCommands } from "../../app/commands.js";

const summary = (body: string) => parseCommands(body).map((c) => [c.verb, c.target, c.reason]);

describe("parseCommands", () => {
  test("reads the three commands with their key or path and reason", () => {
    expect(summary("/skip skill:legacy-pdf Using alternative implementation\n/unskip skills/old\n/skips")).toEqual([
      ["skip", "skill:legacy-pdf", "Using alternative implementation"],
      ["unskip", "skills/old", null],
      ["skips", null, null],
    ]);
  });

  test("reads commands in any case, indented up to three spaces, among other text", () => {
    expect(summary("Thanks!\n\n/SKIP skill:a\n   /Unskip skill:b\nbye")).toEqual([
      ["skip", "skill:a", null],
      ["unskip", "skill:b", null],
    ]);
  });

  test("ignores commands in fenced code, indented code, block quotes and HTML comments", () => {
    const body = [
      "```",
      "/skip skill:in-fence",
      "```",
      "~~~~",
      "/skip skill:in-tilde-fence",
      "```",
      "~~~~",
      "    /skip skill:indented-code",
      "> /skip skill:quoted",
      "<!-- /skip skill:in-comment",
      "/skip skill:still-in-comment -->",
      "/skip skill:real",
    ].join("\n");
    expect(summary(body)).toEqual([["skip", "skill:real", null]]);
  });

  test("ignores commands written as inline code or in the middle of a line", () => {
    expect(summary("`/skip skill:inline`\nUse `/skip skill:x` to skip, or /skip skill:y")).toEqual([]);
  });

  test("needs the command word to end: /skipped and /skip-it are not commands", () => {
    expect(summary("/skipped skill:a\n/skip-it skill:b\n/skips-all")).toEqual([]);
  });

  test("takes a quoted or backticked target, so a path with spaces works", () => {
    expect(summary('/skip "skills/my skill" broken for now\n/skip `skill:pdf` reason\n/unskip skills/my skill')).toEqual([
      ["skip", "skills/my skill", "broken for now"],
      ["skip", "skill:pdf", "reason"],
      ["unskip", "skills/my skill", null],
    ]);
  });

  test("keeps a command without a target, so the answer can explain the usage", () => {
    expect(summary("/skip\n/unskip   ")).toEqual([
      ["skip", null, null],
      ["unskip", null, null],
    ]);
  });

  test("handles Windows line endings", () => {
    expect(summary("/skip skill:a first\r\n/skip skill:b second\r\n")).toEqual([
      ["skip", "skill:a", "first"],
      ["skip", "skill:b", "second"],
    ]);
  });

  test(`stops after ${MAX_COMMANDS} commands`, () => {
    const body = Array.from({ length: MAX_COMMANDS + 5 }, (_, i) => `/skip skill:s${i}`).join("\n");
    expect(parseCommands(body)).toHaveLength(MAX_COMMANDS);
  });
});

describe("what renders as code or is not a command", () => {
  test("a fence opened on a list-item line is code: the commands inside it do not run", () => {
    const body = ["1. ```", "   /skip skill:in-numbered-fence", "   ```", "- ~~~yaml", "  /skip skill:in-bulleted-fence", "  ~~~", "* - ```", "    /skip skill:in-nested-fence", "/skip skill:real"].join("\n");
    expect(summary(body)).toEqual([["skip", "skill:real", null]]);
  });

  test("a list item's fence ends where the item does, as GitHub renders it", () => {
    expect(summary("1. ```\n   code\n/skip skill:after-the-item")).toEqual([["skip", "skill:after-the-item", null]]);
  });

  test("<pre> blocks, and the other raw HTML blocks, are not read for commands", () => {
    const body = ["<pre>", "/skip skill:in-pre", "</pre>", "<PRE class=\"x\">/skip skill:same-line", "/skip skill:still-in-pre</PRE>", "<textarea>", "/unskip skill:in-textarea", "</textarea>", "/skip skill:real"].join("\n");
    expect(summary(body)).toEqual([["skip", "skill:real", null]]);
  });

  test("a line separator (U+2028) or another odd separator is read as GitHub shows it, on one line, never dropped", () => {
    expect(summary("/skip skill:a\u2028")).toEqual([["skip", "skill:a", null]]);
    expect(summary("/unskip skill:b\u2029")).toEqual([["unskip", "skill:b", null]]);
    expect(summary("/skip skill:c old\u2028and broken\u0085")).toEqual([["skip", "skill:c", "old and broken"]]);
  });

  test(`counts the commands past ${MAX_COMMANDS}, which do not run`, () => {
    const body = Array.from({ length: MAX_COMMANDS + 7 }, (_, i) => `/skip skill:s${i}`).join("\n");
    const parsed = parseComment(body);
    expect(parsed.commands).toHaveLength(MAX_COMMANDS);
    expect(parsed.notRun).toBe(7);
  });
});
