import { describe, expect, it } from "vitest";
import { Document, isMap, isSeq, parseDocument, visit, type Node } from "yaml";
import { loadConfig } from "../../src/config.js";
import { parseJson } from "../../src/parse/json.js";
import { parseMarkdown } from "../../src/parse/markdown.js";
import { jsonNestingOverflow, MAX_NESTING, yamlNestingOverflow } from "../../src/parse/nesting.js";
import { parseSkipFile, SkipFileError } from "../../src/skips/index.js";
import { byKey, makeTree, pluginJson, scanTree, skill } from "../helpers/repo.js";

/** An 8 KB plugin.json nested 4,000 deep: jsonc-parser recursed on it until the stack gave out. */
const deepPluginJson = `{"name": "deep", "x": ${"[".repeat(4000)}${"]".repeat(4000)}}\n`;

describe("JSON nested deeper than any manifest", () => {
  it("is one problem at the bracket that crosses the limit, not a parse", () => {
    const parsed = parseJson(`{\n  "a": ${"[".repeat(4000)}${"]".repeat(4000)}\n}\n`);
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([{ kind: "too-deep", message: expect.stringContaining(`nested more than ${MAX_NESTING} levels deep`), span: { line: 2, column: 8 + MAX_NESTING - 1, endLine: 2, endColumn: 8 + MAX_NESTING } }]);
  });

  it("parses nesting up to the limit", () => {
    const depth = MAX_NESTING;
    const parsed = parseJson(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    expect(parsed.problems).toEqual([]);
    expect(JSON.stringify(parsed.value)).toBe(`${"[".repeat(depth)}${"]".repeat(depth)}`);
  });

  it("does not count brackets inside strings or comments", () => {
    const text = `{"a": "${"[".repeat(600)}", "b": "\\"${"{".repeat(600)}"} // ${"[".repeat(600)}\n/* ${"{".repeat(600)} */`;
    expect(jsonNestingOverflow(text)).toBe(-1);
    // A string that a line break ends, as jsonc-parser's scanner ends it, hides nothing after it.
    expect(jsonNestingOverflow(`"open\n${"[".repeat(600)}`)).toBe(MAX_NESTING + 6);
  });

  it("fails only its own plugin in a scan; every other artifact still gets its verdict", async () => {
    const report = await scanTree({
      "plugins/deep/.claude-plugin/plugin.json": deepPluginJson,
      "plugins/ok/.claude-plugin/plugin.json": pluginJson("ok"),
      "plugins/ok/skills/pdf/SKILL.md": skill("pdf"),
      "skills/csv/SKILL.md": skill("csv"),
    });
    const deep = byKey(report, "plugin:deep");
    expect(deep.status).toBe("failed");
    expect(deep.reason?.code).toBe("json_parse_error");
    expect(deep.findings).toEqual([expect.objectContaining({ rule: "json/valid", severity: "error", file: "plugins/deep/.claude-plugin/plugin.json", line: 1, column: 23 + MAX_NESTING - 1 })]);
    expect(byKey(report, "plugin:ok").status).toBe("success");
    expect(byKey(report, "skill:ok/pdf").status).toBe("success");
    expect(byKey(report, "skill:csv").status).toBe("success");
  });

  it("fails a deep hooks file alone too", async () => {
    const report = await scanTree({ ".claude/settings.json": `{"hooks": ${"{\"a\":".repeat(3000)}1${"}".repeat(3000)}}`, "skills/csv/SKILL.md": skill("csv") });
    expect(byKey(report, "hook:project")).toMatchObject({ status: "failed", reason: { code: "json_parse_error" } });
    expect(byKey(report, "skill:csv").status).toBe("success");
  });
});

/** Deep YAML of each shape the composer recurses on, each 8 KB or so. */
const deepYaml: Record<string, string> = {
  "flow sequences": `tools: ${"[".repeat(4000)}${"]".repeat(4000)}\n`,
  "flow mappings": `tools: ${"{a: ".repeat(2000)}1${"}".repeat(2000)}\n`,
  "compact lists": `tools:\n  ${"- ".repeat(4000)}x\n`,
  "indented mappings": Array.from({ length: 600 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n",
};

describe("YAML nested deeper than any settings or frontmatter", () => {
  it.each(Object.entries(deepYaml))("gives a skill with %s in its frontmatter one finding, and the scan goes on", async (_shape, yaml) => {
    for (const profile of ["claude-code", "agentskills"] as const) {
      const report = await scanTree({ "skills/deep/SKILL.md": `---\nname: deep\ndescription: Deep.\n${yaml}---\nbody\n`, "skills/csv/SKILL.md": skill("csv") }, { profile });
      const deep = byKey(report, "skill:deep");
      const yamlFindings = deep.findings.filter((f) => /nested more than 512 levels deep/i.test(f.message));
      expect(yamlFindings, profile).toHaveLength(1);
      expect(yamlFindings[0]?.line).toBeGreaterThanOrEqual(4);
      expect(byKey(report, "skill:csv").status).toBe("success");
    }
  });

  it("reads frontmatter nested up to the limit", () => {
    const yaml = `tools: ${"[".repeat(MAX_NESTING - 1)}${"]".repeat(MAX_NESTING - 1)}\n`;
    const markdown = parseMarkdown(`---\nname: a\n${yaml}---\n`);
    expect(markdown.claude.problems).toEqual([]);
    expect(markdown.claude.data?.name).toBe("a");
  });

  it("is one SkipFileError with line and column when the settings file is that deep", () => {
    const root = makeTree({ ".github/skilldex.yml": `profile: claude-code\nexclude: ${"[".repeat(4000)}${"]".repeat(4000)}\n` });
    let error: unknown;
    try {
      loadConfig(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SkipFileError);
    expect((error as SkipFileError).message).toBe(`.github/skilldex.yml:2:${9 + MAX_NESTING}: not valid YAML: Nested more than ${MAX_NESTING} levels deep`);
  });

  it("stops a scan of that repository with that one error", async () => {
    await expect(scanTree({ ".github/skilldex.yml": deepYaml["compact lists"] as string, "skills/csv/SKILL.md": skill("csv") })).rejects.toThrow(/^\.github\/skilldex\.yml:2:\d+: not valid YAML: Nested more than 512 levels deep$/);
  });

  it("reads a 1 MiB settings file that is wide, not deep", () => {
    const text = `skip:\n${Array.from({ length: 12_000 }, (_, i) => `  - key: skill:s${i}\n    reason: "[x] {y} - z: w"\n`).join("")}`;
    expect(text.length).toBeGreaterThan(500_000);
    expect(parseSkipFile(text).skip).toHaveLength(12_000);
  });

  it("never counts a real document's nesting short", () => {
    // Documents of every shape the printer writes, block and flow, with the true depth beside each.
    const depthOf = (node: unknown): number =>
      isMap(node) ? 1 + Math.max(0, ...node.items.map((p) => Math.max(depthOf(p.key), depthOf(p.value)))) : isSeq(node) ? 1 + Math.max(0, ...node.items.map((n) => depthOf(n as Node))) : 0;
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const value = (depth: number): unknown => {
      if (depth === 0 || random() < 0.15) return random() < 0.5 ? "s [x]: y # z" : 3;
      const n = random() < 0.7 ? 1 : 2;
      return random() < 0.5 ? Array.from({ length: n }, () => value(depth - 1)) : Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(depth - 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const doc = new Document(value(Math.floor(random() * 40)));
      visit(doc, {
        Collection(_key, node) {
          if (random() < 0.2) node.flow = true;
        },
      });
      const text = doc.toString({ indent: 1 + Math.floor(random() * 3), indentSeq: random() < 0.5 });
      const depth = depthOf(parseDocument(text).contents);
      if (depth === 0) continue;
      expect(yamlNestingOverflow(text, depth), text).toBe(-1);
      expect(yamlNestingOverflow(text, depth - 1), text).not.toBe(-1);
    }
  });
});
