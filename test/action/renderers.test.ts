import { describe, expect, it } from "vitest";
import { ARTIFACT_TYPES, emptyCounts, REPORT_SCHEMA, type ArtifactResult, type Finding, type Report } from "../../src/model.js";
import { CHECK_RUN_TEXT_LIMIT, fitSections, renderCheckRun, truncateBytes } from "../../src/report/check-run.js";
import { JOB_SUMMARY_LIMIT, renderJobSummary } from "../../src/report/job-summary.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return { rule: "agent/frontmatter", severity: "error", message: "No frontmatter.", file: "agents/a.md", line: 1, column: 1, endLine: 1, endColumn: 4, ...overrides };
}

function artifact(key: string, status: ArtifactResult["status"], findings: Finding[] = []): ArtifactResult {
  const [type, name = ""] = key.split(":") as [ArtifactResult["type"], string];
  return {
    key,
    type,
    name,
    path: `${type}s/${name}`,
    files: [`${type}s/${name}`],
    status,
    change: null,
    reason: status === "failed" ? { code: "missing_metadata", message: findings[0]?.message ?? "broken" } : status === "skipped" ? { code: "in_skip_list", message: "Skipped by preference of @octocat: old.", by: "octocat" } : null,
    findings,
  };
}

/** A report as scan() builds it, from artifacts alone. */
function reportOf(artifacts: ArtifactResult[]): Report {
  const totals = emptyCounts();
  const byType = Object.fromEntries(ARTIFACT_TYPES.map((t) => [t, emptyCounts()])) as Report["byType"];
  for (const a of artifacts) {
    totals.discovered++;
    totals[a.status]++;
    byType[a.type].discovered++;
    byType[a.type][a.status]++;
  }
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "skilldex", version: "0.0.0" },
    root: "/repo",
    profile: "claude-code",
    base: null,
    totals,
    byType,
    artifacts,
    metrics: { strategy: "workspace", filesListed: 10, filesRead: 5, bytesRead: 100, apiCalls: 0, bytesFetched: 0, preScanHitRate: null, skipAdoption: 0, findings: { error: 0, warning: 0, notice: 0 } },
    timings: { listing: 1, discovery: 2, readingAndParsing: 3, validation: 4, changeDetection: 0, total: 12, publishing: 5 },
    warnings: [],
  };
}

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

describe("fitting text to a limit", () => {
  it("keeps everything when it fits", () => {
    const sections = [{ head: "# A" }, { head: "## B\n", items: ["- 1", "- 2"], noun: "things" }];
    expect(fitSections(sections, 1000, "see elsewhere")).toBe("# A\n\n## B\n\n- 1\n- 2");
  });

  it("cuts the longest lists first and leaves the short ones whole", () => {
    const sections = [
      { head: "## Short\n", items: ["- s1", "- s2"], noun: "short things" },
      { head: "## Long\n", items: Array.from({ length: 500 }, (_, i) => `- long item number ${i}`), noun: "long things" },
    ];
    const fitted = fitSections(sections, 2000, "see the report");

    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(2000);
    expect(fitted).toContain("- s1\n- s2");
    expect(fitted).toMatch(/_… \d+ more long things left out to stay within GitHub's size limit; see the report\._$/);
    expect(fitted).not.toContain("more short things");
  });

  it("never splits a character in two", () => {
    expect(truncateBytes("aé😀b", 3)).toBe("aé");
    expect(truncateBytes("aé😀b", 6)).toBe("aé");
    expect(truncateBytes("aé😀b", 7)).toBe("aé😀");
  });
});

describe("the job summary", () => {
  it("shows the breakdown, a pie of the statuses, the run and the timings with publishing", () => {
    const report = reportOf([artifact("skill:a", "success"), artifact("skill:b", "success"), artifact("agent:c", "failed", [finding()])]);
    const summary = renderJobSummary(report, { checkRun: { id: 7, url: "https://github.com/o/r/runs/7" }, apiCalls: 1, annotations: { shown: 1, total: 1 } });

    expect(summary).toContain("## skilldex: 2 imported · 0 skipped · 1 failed");
    expect(summary).toContain('```mermaid\npie showData title Artifacts by status\n  "imported" : 2\n  "failed" : 1\n```');
    expect(summary).toContain("| Check run | [#7](https://github.com/o/r/runs/7) |");
    expect(summary).toContain("| Strategy | workspace |");
    expect(summary).toContain("| API calls | 1 |");
    for (const stage of ["discovery", "reading and parsing", "validation", "publishing", "total"]) expect(summary).toMatch(new RegExp(`\\| ${stage} \\| [\\d.]+ ms \\|`));
  });

  it("says why there is no check run", () => {
    const summary = renderJobSummary(reportOf([]), { checkRun: null, checkRunProblem: "the token needs `checks: write`", apiCalls: 1, annotations: { shown: 0, total: 0 } });

    expect(summary).toContain("| Check run | none: the token needs `checks: write` |");
    expect(summary).toContain("No agent artifacts were found");
    expect(summary).not.toContain("mermaid");
  });

  it("stays under 1 MiB, counting what the step already wrote, and says what it left out", () => {
    const long = "x".repeat(400);
    const report = reportOf(Array.from({ length: 6000 }, (_, i) => artifact(`agent:${long}${i}`, "failed", [finding({ message: `${long} ${i}` })])));
    const summary = renderJobSummary(report, { checkRun: null, apiCalls: 0, annotations: { shown: 0, total: 6000 }, alreadyWritten: 1000 });

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT - 1000);
    expect(summary).toMatch(/_… \d+ more failed artifacts left out to stay within GitHub's size limit; the full list is in the JSON report/);
    expect(summary).toContain("### Timings");
  });
});
