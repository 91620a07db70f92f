import { describe, expect, it } from "vitest";
import { CHECK_RUN_TEXT_LIMIT, renderCheckRun, renderFailedCheckRun } from "../../src/report/check-run.js";
import { artifact, finding, reportOf } from "./report.js";

describe("the check run", () => {
  it("is titled with the breakdown and concludes by fail-on, or neutral when nothing was found", () => {
    const report = reportOf([artifact("skill:a", "success"), artifact("skill:b", "skipped"), artifact("agent:c", "failed", [finding()])]);

    expect(renderCheckRun(report, { tripped: true, maxAnnotations: 10 }).output.title).toBe("1 imported · 1 skipped · 1 failed");
    expect(renderCheckRun(report, { tripped: true, maxAnnotations: 10 }).conclusion).toBe("failure");
    expect(renderCheckRun(report, { tripped: false, maxAnnotations: 10 }).conclusion).toBe("success");
    expect(renderCheckRun(reportOf([]), { tripped: false, maxAnnotations: 10 })).toMatchObject({ conclusion: "neutral", output: { title: "No artifacts found" } });
  });

  it("maps severities to annotation levels and gives columns only to annotations on one line", () => {
    const report = reportOf([
      artifact("agent:a", "failed", [finding({ severity: "notice", line: 2, endLine: 2, column: 3, endColumn: 9 })]),
      artifact("skill:b", "success", [finding({ severity: "warning", file: "skills/b/SKILL.md", line: 3, endLine: 5, column: 2, endColumn: 1 })]),
      artifact("agent:c", "failed", [finding({ file: "agents/c.md", line: 4, endLine: 4, column: 7, endColumn: 7 })]),
    ]);
    const [batch] = renderCheckRun(report, { tripped: true, maxAnnotations: 50 }).annotationBatches;

    expect(batch).toEqual([
      { path: "agents/c.md", start_line: 4, end_line: 4, start_column: 7, end_column: 7, annotation_level: "failure", message: "No frontmatter.", title: "agent:c: agent/frontmatter" },
      { path: "skills/b/SKILL.md", start_line: 3, end_line: 5, annotation_level: "warning", message: "No frontmatter.", title: "skill:b: agent/frontmatter" },
      { path: "agents/a.md", start_line: 2, end_line: 2, start_column: 3, end_column: 9, annotation_level: "notice", message: "No frontmatter.", title: "agent:a: agent/frontmatter" },
    ]);
  });

  it("groups annotations 50 to a request and stops at max-annotations, saying how many were left out", () => {
    const report = reportOf(Array.from({ length: 130 }, (_, i) => artifact(`agent:a${i}`, "failed", [finding({ file: `agents/a${i}.md` })])));
    const rendered = renderCheckRun(report, { tripped: true, maxAnnotations: 120, fullReportAt: "the job summary" });

    expect(rendered.annotationBatches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(rendered.annotationsLeftOut).toBe(10);
    expect(rendered.output.summary).toContain("120 of 130 findings are annotated (max-annotations is 120); the other 10 are listed in the details below and in the job summary.");
  });

  it("lists every artifact in the text, grouped by status with its findings", () => {
    const report = reportOf([artifact("skill:ok", "success", [finding({ severity: "warning", file: "skills/ok/SKILL.md", message: "Short description." })]), artifact("agent:bad", "failed", [finding()])]);
    const { text } = renderCheckRun(report, { tripped: true, maxAnnotations: 0 }).output;

    expect(text).toBe(
      [
        "## Failed (1)",
        "",
        "- **`agent:bad`** at `agents/bad` — `missing_metadata`: No frontmatter.",
        "  - ✗ `agents/a.md:1:1` `agent/frontmatter`: No frontmatter.",
        "",
        "## Imported (1)",
        "",
        "- **`skill:ok`** at `skills/ok`",
        "  - ⚠ `skills/ok/SKILL.md:1:1` `agent/frontmatter`: Short description.",
      ].join("\n"),
    );
  });

  it("stays within 65,535 characters however many artifacts fail, keeping the breakdown and noting the cut", () => {
    const long = "é".repeat(300);
    const report = reportOf(Array.from({ length: 2000 }, (_, i) => artifact(`agent:a${i}`, "failed", [finding({ message: `${long} ${i}` })])));
    const { summary, text } = renderCheckRun(report, { tripped: true, maxAnnotations: 0 }).output;

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(summary).toContain("| **total** | **2000** | **0** | **0** | **2000** |");
    expect(summary).toMatch(/_… \d+ more failed artifacts left out to stay within GitHub's size limit; the full list is in the JSON report\._/);
    expect(text).toMatch(/^## Failed \(2000\)/);
    expect(text).toMatch(/_… \d+ more failed artifacts left out/);
  });
});

describe("the check run of a run that stopped before indexing", () => {
  it("fails with the error as its summary and, for a malformed config, an annotation at its place", () => {
    const rendered = renderFailedCheckRun({ message: "skip[0].key is not a key", place: { file: ".github/skilldex.yml", line: 2, col: 5 } });

    expect(rendered.conclusion).toBe("failure");
    expect(rendered.output).toMatchObject({ title: "skilldex stopped before indexing", summary: "skip[0].key is not a key\n\nAt `.github/skilldex.yml`, line 2, column 5." });
    expect(rendered.annotationBatches).toEqual([
      [{ path: ".github/skilldex.yml", start_line: 2, end_line: 2, start_column: 5, end_column: 5, annotation_level: "failure", title: "skilldex config", message: "skip[0].key is not a key" }],
    ]);
  });

  it("tells how to run the check again as the surface that posts it offers: the workflow by default, the App's own way when it says", () => {
    const failure = { message: "boom", place: null };
    expect(renderFailedCheckRun(failure).output.text).toContain("Fix the error and run the workflow again; its log has the details.");
    expect(renderFailedCheckRun({ ...failure, again: "push again, or press Re-run on this check" }).output.text).toContain("Fix the error and push again, or press Re-run on this check.");
  });

  it("cuts a huge error message to 65,535 characters, keeping its start and saying where the whole message is", () => {
    const message = `the path input is ${"é".repeat(100_000)}`;
    const rendered = renderFailedCheckRun({ message, place: { file: ".github/skilldex.yml", line: 1, col: 1 } });
    const { summary } = rendered.output;

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(summary.startsWith("the path input is éé")).toBe(true);
    expect(summary).toMatch(/_… cut to stay within GitHub's size limit; the whole message is in the log of the workflow run\._$/);
    expect(Buffer.byteLength(rendered.annotationBatches[0]?.[0]?.message ?? "")).toBeLessThanOrEqual(64 * 1024);
  });

  it("gives annotations to errors first, then to artifacts the push changed, then to the rest", () => {
    const warning = (file: string) => finding({ severity: "warning", file, message: `Warning in ${file}.` });
    const report = reportOf([
      ...Array.from({ length: 3 }, (_, i) => artifact(`skill:old${i}`, "success", [warning(`skills/old${i}/SKILL.md`)])),
      { ...artifact("skill:edited", "success", [warning("skills/edited/SKILL.md"), finding({ severity: "notice", file: "skills/edited/SKILL.md" })]), change: "updated" },
      { ...artifact("skill:new", "success", [warning("skills/new/SKILL.md")]), change: "added" },
      artifact("agent:broken", "failed", [finding({ file: "agents/broken.md" })]),
    ]);
    const rendered = renderCheckRun(report, { tripped: true, maxAnnotations: 4 });

    expect(rendered.annotationBatches.flat().map((a) => `${a.annotation_level} ${a.path}`)).toEqual([
      "failure agents/broken.md",
      "warning skills/edited/SKILL.md",
      "warning skills/new/SKILL.md",
      "notice skills/edited/SKILL.md",
    ]);
    expect(rendered.annotationsLeftOut).toBe(3);
  });

  it("folds findings on one bad name into one annotation naming the others", () => {
    const at = { file: "skills/x/SKILL.md", line: 2, column: 7, message: "Bad name." };
    const report = reportOf([artifact("skill:x", "failed", [finding({ ...at, rule: "skill/name-lowercase" }), finding({ ...at, rule: "skill/name-characters" }), finding({ ...at, rule: "skill/name-matches-directory" })])]);
    const annotations = renderCheckRun(report, { tripped: true, maxAnnotations: 50 }).annotationBatches.flat();

    expect(annotations.map((a) => [a.title, a.message])).toEqual([["skill:x: skill/name-lowercase", "Bad name. (also: skill/name-characters, skill/name-matches-directory)"]]);
  });

  it("opens its summary with the rollup by rule, after the breakdown", () => {
    const report = reportOf([artifact("agent:a", "failed", [finding({ file: "agents/a.md", line: 3 })])]);
    const { summary } = renderCheckRun(report, { tripped: true, maxAnnotations: 50 }).output;

    expect(summary.indexOf("| **total** |")).toBeLessThan(summary.indexOf("### By rule"));
    expect(summary.indexOf("### By rule")).toBeLessThan(summary.indexOf("### Failed (1)"));
    expect(summary).toContain("| error `agent/frontmatter` | 1 | 1 | 1 | `agents/a.md:3` |");
  });
});
