import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixFolder } from "../../src/fix/fix.js";
import type { Profile, Report } from "../../src/model.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { makeTree } from "../helpers/tree.js";

const BOM = "\uFEFF";
const hooks = `{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"echo hi"}]}]}}\n`;
const plugin = `{\n  "name": "pdf-tools"\n}\n`;

interface Case {
  fix: string;
  rule: string;
  profile: Profile;
  file: string;
  files: Record<string, string>;
  /** The file's whole text after the fix. */
  after: string;
}

const CASES: Case[] = [
  {
    fix: "adds ./ to a plugin.json component path",
    rule: "plugin/component-paths",
    profile: "claude-code",
    file: ".claude-plugin/plugin.json",
    files: { ".claude-plugin/plugin.json": `{\n  "name": "pdf-tools",\n  "commands": ["cmds/deploy.md", "/cmds/ship.md"]\n}\n`, "cmds/deploy.md": "---\ndescription: Deploy\n---\nDeploy.\n", "cmds/ship.md": "---\ndescription: Ship\n---\nShip.\n" },
    after: `{\n  "name": "pdf-tools",\n  "commands": ["./cmds/deploy.md", "./cmds/ship.md"]\n}\n`,
  },
  {
    fix: "drops every trailing comma in JSON, one pass each",
    rule: "json/valid",
    profile: "claude-code",
    file: ".claude-plugin/plugin.json",
    files: { ".claude-plugin/plugin.json": `{\n  "name": "pdf-tools",\n  "keywords": ["pdf", ],\n  "version": "1.0.0",\n}\n` },
    after: `{\n  "name": "pdf-tools",\n  "keywords": ["pdf" ],\n  "version": "1.0.0"\n}\n`,
  },
  {
    fix: "strips the BOM that breaks hooks.json",
    rule: "file/no-bom",
    profile: "claude-code",
    file: "hooks/hooks.json",
    files: { ".claude-plugin/plugin.json": plugin, "hooks/hooks.json": `${BOM}${hooks}` },
    after: hooks,
  },
  {
    fix: "strips the BOM that breaks .mcp.json",
    rule: "file/no-bom",
    profile: "claude-code",
    file: ".mcp.json",
    files: { ".claude-plugin/plugin.json": plugin, ".mcp.json": `${BOM}{\n  "mcpServers": { "pdf": { "type": "http", "url": "https://example.com/mcp" } }\n}\n` },
    after: `{\n  "mcpServers": { "pdf": { "type": "http", "url": "https://example.com/mcp" } }\n}\n`,
  },
  {
    fix: "quotes a frontmatter value that holds `: `, as Claude Code reads it",
    rule: "frontmatter/yaml",
    profile: "claude-code",
    file: "skills/pdf/SKILL.md",
    files: { "skills/pdf/SKILL.md": `---\nname: pdf\n# why: kept\ndescription: Use when: the user asks for "PDF" work\n---\n\nBody: kept.\n` },
    after: `---\nname: pdf\n# why: kept\ndescription: "Use when: the user asks for \\"PDF\\" work"\n---\n\nBody: kept.\n`,
  },
  {
    fix: "quotes a frontmatter value that holds `: ` under the specification's profile",
    rule: "frontmatter/yaml",
    profile: "agentskills",
    file: "skills/pdf/SKILL.md",
    files: { "skills/pdf/SKILL.md": `---\r\nname: pdf\r\ndescription: Use when: reading PDFs\n---\r\nBody.\r\n` },
    after: `---\r\nname: pdf\r\ndescription: "Use when: reading PDFs"\n---\r\nBody.\r\n`,
  },
  {
    fix: "lowercases a skill name that then matches its folder",
    rule: "skill/name-matches-directory",
    profile: "agentskills",
    file: "skills/pdf-tools/SKILL.md",
    files: { "skills/pdf-tools/SKILL.md": `---\nname: "PDF-Tools" # the folder's name\ndescription: Reads PDFs.\n---\nBody.\n` },
    after: `---\nname: "pdf-tools" # the folder's name\ndescription: Reads PDFs.\n---\nBody.\n`,
  },
  {
    fix: "lowercases a skill name under claude-code, where it warns",
    rule: "skill/name-lowercase",
    profile: "claude-code",
    file: "skills/pdf/SKILL.md",
    files: { "skills/pdf/SKILL.md": `---\nname: PDF\ndescription: Reads PDFs.\n---\nBody.\n` },
    after: `---\nname: pdf\ndescription: Reads PDFs.\n---\nBody.\n`,
  },
  {
    fix: "moves unknown fields under a new `metadata:` for agentskills",
    rule: "skill/allowed-fields",
    profile: "agentskills",
    file: "skills/pdf/SKILL.md",
    files: { "skills/pdf/SKILL.md": `---\nname: pdf\nversion: 1.2.0\ndescription: Reads PDFs.\nauthor: "Ada" # who\n---\nBody.\n` },
    after: `---\nname: pdf\ndescription: Reads PDFs.\nmetadata:\n  version: 1.2.0\n  author: "Ada" # who\n---\nBody.\n`,
  },
  {
    fix: "moves unknown fields after the last entry of an existing `metadata:`",
    rule: "skill/allowed-fields",
    profile: "agentskills",
    file: "skills/pdf/SKILL.md",
    files: { "skills/pdf/SKILL.md": `---\nname: pdf\nmetadata:\n    team: docs\nversion: "2"\ndescription: Reads PDFs.\n---\nBody.\n` },
    after: `---\nname: pdf\nmetadata:\n    team: docs\n    version: "2"\ndescription: Reads PDFs.\n---\nBody.\n`,
  },
];

/** A finding as a person compares two reports: what and where, not on which line after lines moved. */
const seen = (report: Report): Set<string> => new Set(report.artifacts.flatMap((a) => a.findings.map((f) => `${f.rule} ${f.file} ${f.message}`)));

describe("every safe fix", () => {
  for (const c of CASES) {
    it(`${c.fix}: the finding is gone and no new one appears`, async () => {
      const root = makeTree(c.files);
      const before = await scan({ root, profile: c.profile });
      const target = before.artifacts.flatMap((a) => a.findings).filter((f) => f.rule === c.rule && f.file === c.file);
      expect(target.length).toBeGreaterThan(0);
      expect(target.every((f) => f.fixable === "safe")).toBe(true);

      const result = await fixFolder({ root, profile: c.profile });
      expect(readFileSync(join(root, c.file), "utf8")).toBe(c.after);
      expect(result.changes.map((ch) => ch.file)).toEqual([c.file]);

      const after = await scan({ root, profile: c.profile });
      const findings = after.artifacts.flatMap((a) => a.findings);
      expect(findings.filter((f) => f.rule === c.rule && f.file === c.file)).toEqual([]);
      const earlier = seen(before);
      expect([...seen(after)].filter((f) => !earlier.has(f))).toEqual([]);
      // Keys come from paths: a fix never renames an artifact.
      expect(after.artifacts.map((a) => a.key)).toEqual(expect.arrayContaining(before.artifacts.map((a) => a.key)));
      for (const a of before.artifacts) if (a.status === "success") expect(after.artifacts.find((b) => b.key === a.key)?.status).toBe("success");
    });
  }

  it("leaves an unknown field in place under claude-code, which reads fields such as `model` at the top level", async () => {
    const text = `---\nname: pdf\ndescription: Reads PDFs.\nmodel: opus\n---\nBody.\n`;
    const root = makeTree({ "skills/pdf/SKILL.md": text });
    const before = await scan({ root, profile: "claude-code" });
    expect(before.artifacts.flatMap((a) => a.findings).find((f) => f.rule === "skill/allowed-fields")?.fixable).toBeUndefined();
    await fixFolder({ root, profile: "claude-code" });
    expect(readFileSync(join(root, "skills/pdf/SKILL.md"), "utf8")).toBe(text);
  });

  it("does not lowercase a name when the lowercase name would still differ from the folder", async () => {
    const text = `---\nname: PDF-Reader\ndescription: Reads PDFs.\n---\nBody.\n`;
    const root = makeTree({ "skills/pdf/SKILL.md": text });
    const before = await scan({ root, profile: "agentskills" });
    expect(before.artifacts.flatMap((a) => a.findings).filter((f) => f.rule.startsWith("skill/name-")).every((f) => f.fixable === undefined)).toBe(true);
    await fixFolder({ root, profile: "agentskills" });
    expect(readFileSync(join(root, "skills/pdf/SKILL.md"), "utf8")).toBe(text);
  });

  it("keeps the BOM of a plugin.json, which Claude Code strips itself", async () => {
    const root = makeTree({ ".claude-plugin/plugin.json": `${BOM}${plugin}` });
    const before = await scan({ root });
    expect(before.artifacts.flatMap((a) => a.findings).find((f) => f.rule === "file/no-bom")?.fixable).toBeUndefined();
  });
});
