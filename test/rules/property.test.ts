import fc from "fast-check";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { STATUSES, type Profile } from "../../src/model.js";

const workspace = mkdtempSync(join(tmpdir(), "skilldex-property-"));
// Thousands of generated folders: on a loaded machine removing them can take longer than a hook's 30 s limit.
afterAll(() => rmSync(workspace, { recursive: true, force: true }), 120_000);

/** Pieces real frontmatter and manifests are made of, and the ways people break them. */
const yamlValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "[a, b]", "{a: 1}", "&x a", "*x", "!!str x", "|", ">-", "'quoted'", '"double"', "a: b: c", "- item", "[unclosed", "#comment", "null", "~", "123", "true"),
  fc.string({ unit: "binary", maxLength: 20 }),
);
const key = fc.constantFrom("name", "description", "license", "allowed-tools", "metadata", "compatibility", "tools", "model", "argument-hint", "name ", "", "NAME", "x".repeat(70));
const frontmatterLines = fc.array(fc.tuple(key, yamlValue, fc.constantFrom("", "  ", "\t")), { maxLength: 8 }).map((pairs) => pairs.map(([k, v, indent]) => `${indent}${k}: ${v}`).join("\n"));
const markdown = fc.oneof(
  frontmatterLines.map((fm) => `---\n${fm}\n---\n\nBody.\n`),
  frontmatterLines.map((fm) => `---\n${fm}\n`),
  frontmatterLines.map((fm) => `\ufeff---\r\n${fm.replace(/\n/g, "\r\n")}\r\n---\r\n`),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 64 }),
);
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({ name: yamlValue, version: fc.jsonValue(), hooks: fc.jsonValue({ maxDepth: 3 }), mcpServers: fc.jsonValue({ maxDepth: 3 }), plugins: fc.jsonValue({ maxDepth: 3 }), owner: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 100 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => `${JSON.stringify(v)},`),
);
const file = fc.oneof(
  fc.tuple(fc.constantFrom("skills/a/SKILL.md", "skills/b/skill.md", ".claude/agents/x.md", "plugins/p/agents/y.md", ".claude/commands/z.md", "plugins/p/skills/s/SKILL.md"), markdown),
  fc.tuple(fc.constantFrom("plugins/p/.claude-plugin/plugin.json", ".claude-plugin/marketplace.json", "plugins/p/hooks/hooks.json", ".mcp.json", "mcp.json", ".claude/settings.json", "plugins/p/.mcp.json"), jsonish),
);

let run = 0;
function writeRepo(files: [string, string | Uint8Array][]): string {
  const root = join(workspace, `r${run++}`);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

describe("the index on generated and mutated artifacts", () => {
  it.each<Profile>(["claude-code", "agentskills"])("never throws and gives every artifact exactly one status (%s)", async (profile) => {
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 6 }), async (files) => {
        const report = await scan({ root: writeRepo(files), profile, config: { profile: null, exclude: [], skipPreferences: true, skip: [] } });
        const { totals } = report;
        expect(totals.success + totals.skipped + totals.failed).toBe(report.artifacts.length);
        for (const artifact of report.artifacts) {
          expect(STATUSES).toContain(artifact.status);
          const errors = artifact.findings.filter((f) => f.severity === "error");
          if (artifact.status === "failed") {
            expect(errors.length).toBeGreaterThan(0);
            expect(artifact.reason?.code).toBeTruthy();
          }
          if (artifact.status === "success") expect(errors).toEqual([]);
          for (const f of artifact.findings) {
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.column).toBeGreaterThanOrEqual(1);
            expect(f.message).not.toMatch(/Internal error/);
          }
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) },
    );
  }, 120_000);
});
