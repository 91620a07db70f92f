import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model.js";
import { reportTexts } from "../../src/fix/proposals.js";
import { renderSarif } from "../../src/report/sarif.js";
import { RULES } from "../../src/rules/registry.js";
import { ruleAnchor } from "../../src/rules/help.js";
import { agent, pluginJson, scanTree, skill, writeTree } from "../helpers/repo.js";
import { makeTree } from "../helpers/tree.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { fixFolder } from "../../src/fix/fix.js";
import { runCli } from "../../src/cli/run.js";

/** A repository with errors, warnings and notices of several rules, as a new user's would be. */
const broken = {
  "skills/good/SKILL.md": skill("good"),
  "skills/Bad_Name/SKILL.md": "---\nname: Bad_Name\ndescription: Does things.\nextra: field\n---\nbody\n",
  "skills/crlf/SKILL.md": skill("crlf").replace(/\n/g, "\r\n"),
  "plugins/p/.claude-plugin/plugin.json": '{"name": "p",}',
  "plugins/q/.claude-plugin/plugin.json": pluginJson("q"),
  "plugins/q/agents/helper.md": agent("helper"),
  "plugins/r/.claude-plugin/plugin.json": '{\n  "name": "r",\n  "commands": ["cmds/deploy.md"]\n}\n',
  "plugins/r/cmds/deploy.md": "---\ndescription: Deploy\n---\nDeploy.\n",
  "plugins/r/hooks/hooks.json": '\ufeff{"hooks": {}}\n',
  ".claude/agents/nameless.md": "---\ndescription: No name.\n---\nbody\n",
};

interface SarifLog {
  runs: {
    tool: { driver: { informationUri: string; rules: { id: string; fullDescription: { text: string }; help: { text: string }; helpUri: string }[] } };
    invocations: { toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
    results: { ruleId: string; level: string; message: { text: string }; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; fixes?: SarifFix[] }[];
  }[];
}

interface Region {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  byteOffset?: number;
  byteLength?: number;
}

interface SarifFix {
  description: { text: string };
  artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent?: { text: string } }[] }[];
}

/**
 * Applies a SARIF fix to the file's text as a SARIF viewer reads it: the BOM is a byte region,
 * lines and UTF-16 columns count in the text after it.
 */
function applySarifFix(file: string, fix: SarifFix): string {
  const raw = readFileSync(file, "utf8");
  const hasBom = raw.startsWith("\ufeff");
  let text = hasBom ? raw.slice(1) : raw;
  let dropBom = false;
  const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index as number) + 1)];
  const at = (line: number, column: number): number => (starts[line - 1] as number) + column - 1;
  const replacements = fix.artifactChanges.flatMap((c) => c.replacements).map((r) => {
    const region = r.deletedRegion;
    if (region.byteOffset !== undefined) {
      expect(region).toEqual({ byteOffset: 0, byteLength: 3 });
      dropBom = true;
      return null;
    }
    return { start: at(region.startLine!, region.startColumn!), end: at(region.endLine!, region.endColumn!), text: r.insertedContent?.text ?? "" };
  });
  for (const r of replacements.filter((x) => x !== null).reverse()) text = text.slice(0, r.start) + r.text + text.slice(r.end);
  return hasBom && !dropBom ? `\ufeff${text}` : text;
}

const parse = (report: Report, limits?: { results: number }): SarifLog => JSON.parse(renderSarif(report, limits, reportTexts(report))) as SarifLog;

/** The multitool from the npm registry, or why it cannot run here. */
function multitool(): { path: string } | { skip: string } {
  if (process.platform !== "linux" || !["x64", "arm64"].includes(process.arch)) return { skip: `the SARIF multitool's npm package runs on Linux x64 and arm64, not ${process.platform} ${process.arch}` };
  const path = createRequire(import.meta.url)("@microsoft/sarif-multitool-linux") as string;
  return { path };
}

/** What `validate --rule-kind "Gh;Sarif"` reports: every error and warning line. */
function validate(tool: string, sarif: string): { status: number | null; problems: string[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "skilldex-sarif-"));
  writeFileSync(join(dir, "report.sarif"), sarif);
  const run = spawnSync(tool, ["validate", "--rule-kind", "Gh;Sarif", join(dir, "report.sarif"), "--output", join(dir, "validation.sarif"), "--log", "ForceOverwrite"], { encoding: "utf8", env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" } });
  const output = `${run.stdout}${run.stderr}`;
  if (run.error) throw run.error;
  return { status: run.status, problems: output.split("\n").filter((l) => /: (error|warning) [A-Z]+\d+:/.test(l)), output };
}

let report: Report;
beforeAll(async () => {
  report = await scanTree(broken);
});

describe("SARIF for GitHub code scanning", () => {
  const tool = multitool();

  it.skipIf("skip" in tool)(`passes the SARIF multitool's GitHub and SARIF validation with no error or warning${"skip" in tool ? ` (skipped: ${tool.skip})` : ""}`, () => {
    const path = (tool as { path: string }).path;
    const sarif = renderSarif(report, undefined, reportTexts(report));
    expect(JSON.parse(sarif).runs[0].results.length).toBeGreaterThan(4);
    // The fixes are validated too: an insertion, a deletion and the BOM's byte region.
    expect((JSON.parse(sarif) as SarifLog).runs[0]!.results.filter((r) => r.fixes).map((r) => r.ruleId).sort()).toEqual(["file/no-bom", "json/valid", "plugin/component-paths"]);
    const whole = validate(path, sarif);
    expect(whole.output).toContain("Analysis completed successfully");
    expect(whole.problems).toEqual([]);
    // A run cut to the limit carries its note, and still validates.
    const cut = validate(path, renderSarif(report, { results: 2 }, reportTexts(report)));
    expect(cut.output).toContain("Analysis completed successfully");
    expect(cut.problems).toEqual([]);
  }, 120_000);

  it("describes every rule it uses, with help and a link to the rule's section of docs/rules.md", () => {
    const run = parse(report).runs[0]!;
    const doc = readFileSync("docs/rules.md", "utf8");
    const headings = new Set([...doc.matchAll(/^## `([^`]+)`$/gm)].map((m) => ruleAnchor(m[1] as string)));
    expect(run.tool.driver.informationUri).toBe("https://github.com/skilldex/skilldex");
    expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual([...new Set(run.results.map((r) => r.ruleId))].sort());
    for (const rule of run.tool.driver.rules) {
      const registered = RULES.find((r) => r.id === rule.id)!;
      expect(rule.fullDescription.text).toBe(registered.description);
      expect(rule.help.text).toBe(registered.fix);
      const [page, anchor] = rule.helpUri.split("#");
      expect(page).toBe("https://github.com/skilldex/skilldex/blob/main/docs/rules.md");
      expect(headings.has(anchor as string)).toBe(true);
    }
  });

  it("keeps a finding's fingerprint when the lines above it move", async () => {
    const root = makeTree({ "skills/moved/SKILL.md": "---\nname: moved\ndescription: Moves.\nextra: field\n---\nbody\n", "skills/other/SKILL.md": "---\nname: other\ndescription: Stays.\nextra: field\n---\n" });
    const before = parse(await scan({ root })).runs[0]!.results;
    writeTree(root, { "skills/moved/SKILL.md": "---\nname: moved\ndescription: Moves.\nlicense: MIT\nmetadata:\n  a: b\nextra: field\n---\nbody\n" });
    const after = parse(await scan({ root })).runs[0]!.results;
    const moved = (results: typeof before) => results.find((r) => r.message.text.startsWith("skill:moved:"))!;
    expect(moved(after).locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(moved(before).locations[0]!.physicalLocation.region.startLine);
    expect(moved(after).partialFingerprints).toEqual(moved(before).partialFingerprints);
    const fingerprints = after.map((r) => r.partialFingerprints["skilldexFinding/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("cuts a run to code scanning's result limit, errors first, and says so in the run", () => {
    const whole = parse(report).runs[0]!;
    const cut = parse(report, { results: 2 }).runs[0]!;
    expect(whole.invocations[0]!.toolExecutionNotifications).toBeUndefined();
    expect(cut.results.map((r) => r.level)).toEqual(whole.results.filter((r) => r.level === "error").slice(0, 2).map((r) => r.level));
    expect(cut.results.map((r) => r.partialFingerprints)).toEqual(whole.results.filter((r) => r.level === "error").slice(0, 2).map((r) => r.partialFingerprints));
    expect(cut.invocations[0]!.toolExecutionNotifications).toEqual([{ level: "warning", message: { text: `${whole.results.length} findings, over the 2 results GitHub code scanning takes in one run: the first 2 (errors first) are listed; the JSON report has them all.` } }]);
  });

  it("carries each safe fix as SARIF fixes that, applied to the file, give what skilldex fix writes, and fixes nothing else", async () => {
    const results = parse(report).runs[0]!.results;
    const fixed = await fixFolder({ root: report.root, dryRun: true });
    const withFixes = results.filter((r) => r.fixes);
    expect(withFixes.length).toBe(report.artifacts.reduce((n, a) => n + a.findings.filter((f) => f.fixable).length, 0));
    for (const result of withFixes) {
      const uri = result.locations[0]!.physicalLocation.artifactLocation.uri;
      expect(result.fixes).toHaveLength(1);
      const fix = result.fixes![0]!;
      expect(fix.description.text).toMatch(/^Safe fix, as `skilldex fix` applies it/);
      expect(fix.artifactChanges.map((c) => c.artifactLocation.uri)).toEqual([uri]);
      // Each of these files has one fixable finding, so its one SARIF fix is the whole of what skilldex fix changes.
      expect(applySarifFix(join(report.root, uri), fix)).toBe(fixed.changes.find((c) => c.file === uri)?.after);
    }
    expect(fixed.changes.map((c) => c.file).sort()).toEqual(withFixes.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri).sort());
  });

  it("carries the fixes in what skilldex scan --format sarif writes", async () => {
    let out = "";
    const code = await runCli(["scan", report.root, "--format", "sarif", "--fail-on", "never"], { stdout: (t) => (out += t), stderr: () => {}, cwd: report.root, env: {} });
    expect(code).toBe(0);
    expect((JSON.parse(out) as SarifLog).runs[0]!.results.filter((r) => r.fixes).map((r) => r.ruleId).sort()).toEqual(["file/no-bom", "json/valid", "plugin/component-paths"]);
  });

  it("carries a suggested fix too, saying it changes meaning", async () => {
    const reserved = await scanTree({ ".claude-plugin/plugin.json": `{ "name": "claude-pdf" }\n` });
    const result = parse(reserved).runs[0]!.results.find((r) => r.fixes)!;
    expect(result.ruleId).toBe("plugin/reserved-name");
    expect(result.fixes![0]!.description.text).toBe("Suggested fix, as `skilldex fix --suggested` applies it: it changes what the file means, so read it before applying it.");
    expect(applySarifFix(join(reserved.root, ".claude-plugin/plugin.json"), result.fixes![0]!)).toBe(`{ "name": "pdf" }\n`);
  });

  it("has no fixes when the files cannot be read again: a report of fetched files, or a renderer given no texts", () => {
    expect(parse({ ...report, metrics: { ...report.metrics, strategy: "api" } }).runs[0]!.results.some((r) => r.fixes)).toBe(false);
    expect((JSON.parse(renderSarif(report, undefined, null)) as SarifLog).runs[0]!.results.some((r) => r.fixes)).toBe(false);
  });
});
