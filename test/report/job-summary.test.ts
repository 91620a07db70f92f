import { describe, expect, it } from "vitest";
import { JOB_SUMMARY_LIMIT, renderJobSummary } from "../../src/report/job-summary.js";
import { artifact, finding, reportOf } from "./report.js";

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

  it("lists every finding under its artifact, for those the check run had no annotation for", () => {
    const report = reportOf([
      artifact("agent:bad", "failed", [finding({ file: "agents/bad.md", line: 2 })]),
      artifact("skill:ok", "success", [finding({ severity: "warning", file: "skills/ok/SKILL.md", line: 4, message: "Move it." })]),
      artifact("skill:clean", "success"),
    ]);
    const summary = renderJobSummary(report, { checkRun: null, apiCalls: 0, annotations: { shown: 0, total: 2 } });

    expect(summary).toContain("### By rule");
    expect(summary).toContain(["### Findings (2 findings in 2 artifacts)", "", "- **`agent:bad`** at `agents/bad` — `missing_metadata`: No frontmatter.", "  - ✗ `agents/bad.md:2:1` `agent/frontmatter`: No frontmatter.", "- **`skill:ok`** at `skills/ok`", "  - ⚠ `skills/ok/SKILL.md:4:1` `agent/frontmatter`: Move it."].join("\n"));
    expect(summary).not.toContain("skill:clean`** at");
  });

  it("cuts the list of findings at 1 MiB with a note", () => {
    const long = "y".repeat(500);
    const report = reportOf(Array.from({ length: 5000 }, (_, i) => artifact(`skill:s${i}`, "success", [finding({ severity: "warning", file: `skills/s${i}/SKILL.md`, message: `${long} ${i}` })])));
    const summary = renderJobSummary(report, { checkRun: null, apiCalls: 0, annotations: { shown: 0, total: 5000 } });

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT);
    expect(summary).toMatch(/_… \d+ more artifacts with findings left out to stay within GitHub's size limit/);
  });
});
