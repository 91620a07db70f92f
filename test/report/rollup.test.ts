import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { rollupByRule } from "../../src/report/rollup.js";
import { renderText } from "../../src/report/text.js";
import { RULES } from "../../src/rules/registry.js";
import { makeTree, scanTree, skill } from "../helpers/repo.js";
import { artifact, finding, reportOf } from "./report.js";

describe("the rollup by rule", () => {
  it("puts first the rule whose fix turns the most failed artifacts green, with counts, an example and what to do", () => {
    const report = reportOf([
      // Three findings of agent/frontmatter, but each artifact also fails on another rule.
      artifact("agent:a", "failed", [finding({ file: "agents/a.md" }), finding({ rule: "agent/name-required", file: "agents/a.md", line: 2 })]),
      artifact("agent:b", "failed", [finding({ file: "agents/b.md" }), finding({ rule: "agent/name-required", file: "agents/b.md", line: 2 })]),
      artifact("agent:c", "failed", [finding({ file: "agents/c.md" })]),
      // One finding, but fixing it alone turns two artifacts green.
      artifact("skill:d", "failed", [finding({ rule: "skill/name-required", file: "skills/d/SKILL.md", line: 3 })]),
      artifact("skill:e", "failed", [finding({ rule: "skill/name-required", file: "skills/e/SKILL.md", line: 3 })]),
      artifact("skill:f", "success", [finding({ rule: "skill/allowed-fields", severity: "warning", file: "skills/f/SKILL.md", line: 4 })]),
    ]);
    const rollup = rollupByRule(report);

    expect(rollup.map((r) => [r.rule, r.findings, r.artifacts, r.turnsGreen])).toEqual([
      ["skill/name-required", 2, 2, 2],
      ["agent/frontmatter", 3, 3, 1],
      ["agent/name-required", 2, 2, 0],
      ["skill/allowed-fields", 1, 1, 0],
    ]);
    expect(rollup[0]?.example).toMatchObject({ file: "skills/d/SKILL.md", line: 3 });
    const fix = RULES.find((r) => r.id === "skill/allowed-fields")?.fix ?? "";
    expect(rollup[3]?.hint).toBe(fix.split(/(?<=\.) (?=[A-Z])/)[0]);
    expect(rollupByRule(report, true).map((r) => r.rule)).not.toContain("skill/allowed-fields");
  });

  it("opens the text report, one line per rule and its hint, before the per-artifact detail; --statistics prints it alone", () => {
    const report = reportOf([
      artifact("agent:a", "failed", [finding({ file: "agents/a.md", line: 7 })]),
      artifact("skill:f", "success", [finding({ rule: "skill/allowed-fields", severity: "warning", file: "skills/f/SKILL.md", line: 4 })]),
    ]);
    const lines = renderText(report).split("\n");
    const byRule = lines.findIndex((l) => l.startsWith("By rule (2 rules, 2 findings"));
    const failed = lines.indexOf("Failed (1):");
    expect(byRule).toBe(3);
    expect(lines[byRule + 1]).toMatch(/^ {2}✗ agent\/frontmatter +1 in 1 artifact · 1 fail on it alone · e\.g\. agents\/a\.md:7$/);
    expect(lines[byRule + 2]).toMatch(/^ {4}\S/);
    expect(failed).toBeGreaterThan(byRule + 4);

    const statistics = renderText(report, { statistics: true });
    expect(statistics).toContain("agent/frontmatter");
    expect(statistics).not.toContain("Failed (1):");
    expect(statistics).not.toContain("Done in");
  });

  it("opens the Markdown report too, as a table after the breakdown", () => {
    const report = reportOf([artifact("agent:a", "failed", [finding({ file: "agents/a.md", line: 7 })])]);
    const markdown = renderMarkdown(report);
    expect(markdown.indexOf("### By rule")).toBeLessThan(markdown.indexOf("### Failed (1)"));
    expect(markdown).toMatch(/\| error `agent\/frontmatter` \| 1 \| 1 \| 1 \| `agents\/a\.md:7` \| Start the file with/);
  });
});

describe("findings that follow from one bad name", () => {
  it("are shown as one with the others folded in, while the JSON report keeps every finding", async () => {
    const report = await scanTree({ "skills/pdf-tools/SKILL.md": skill("PDF Tools") }, { profile: "agentskills" });
    const rules = report.artifacts[0]?.findings.map((f) => f.rule).sort();
    expect(rules).toEqual(["skill/name-characters", "skill/name-lowercase", "skill/name-matches-directory"]);

    const text = renderText(report);
    const shown = text.split("\n").filter((l) => l.includes("skills/pdf-tools/SKILL.md:2:"));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain("skill/name-lowercase (also: skill/name-characters, skill/name-matches-directory)");
    expect(rollupByRule(report).map((r) => [r.rule, r.findings, r.also])).toEqual([["skill/name-lowercase", 1, ["skill/name-characters", "skill/name-matches-directory"]]]);
    expect(JSON.parse(renderJson(report)).artifacts[0].findings).toHaveLength(3);
  });

  it("names a rule once in the fold however many of its findings stand at the place", () => {
    const at = { file: "skills/x/SKILL.md", line: 2, column: 7 };
    const report = reportOf([artifact("skill:x", "failed", [finding({ ...at, rule: "skill/name-lowercase" }), finding({ ...at, rule: "skill/name-lowercase" }), finding({ ...at, rule: "skill/name-characters" }), finding({ ...at, rule: "skill/name-characters" })])]);
    expect(rollupByRule(report).map((r) => [r.rule, r.findings, r.also])).toEqual([["skill/name-lowercase", 1, ["skill/name-characters"]]]);
  });

  it("keeps findings of one family apart when they point at different places", () => {
    const report = reportOf([
      artifact("skill:x", "failed", [
        finding({ rule: "skill/name-lowercase", file: "skills/x/SKILL.md", line: 2, column: 7 }),
        finding({ rule: "skill/name-characters", file: "skills/x/other.md", line: 2, column: 7 }),
      ]),
    ]);
    expect(rollupByRule(report).map((r) => r.rule)).toEqual(["skill/name-characters", "skill/name-lowercase"]);
  });
});

describe("a tree scanned for the rollup", () => {
  it("counts a real scan's findings as its JSON report has them", async () => {
    const root = makeTree({ "skills/a/SKILL.md": "---\nname: a\ndescription: x\nversion: 1\n---\n", "skills/b/SKILL.md": "---\nname: b\ndescription: x\nversion: 2\n---\n" });
    const report = await scanTree({}, { root });
    const allowed = rollupByRule(report).find((r) => r.rule === "skill/allowed-fields");
    expect(allowed).toMatchObject({ findings: 2, artifacts: 2, severity: "warning", example: { file: "skills/a/SKILL.md", line: 4 } });
  });
});
