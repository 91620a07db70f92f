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
});
