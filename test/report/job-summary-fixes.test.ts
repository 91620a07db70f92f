import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/fix/diff.js";
import { JOB_SUMMARY_LIMIT, renderJobSummary, type FixSummary } from "../../src/report/job-summary.js";
import { artifact, finding, reportOf } from "./report.js";

const PATCH = "/runner/temp/skilldex-fix-a1/skilldex-fix.patch";
const report = reportOf([artifact("plugin:p", "failed", [finding({ rule: "json/valid", fixable: "safe" })])]);
const summaryOf = (fixes: FixSummary, alreadyWritten = 0): string => renderJobSummary(report, { checkRun: null, apiCalls: 0, annotations: { shown: 0, total: 1 }, fixes, alreadyWritten });

/** A file's diff of about `lines` changed lines, each `width` characters long. */
function fileDiff(file: string, lines: number, width = 80): string {
  const before = Array.from({ length: lines }, (_, i) => `${String(i).padEnd(width, "x")}\n`).join("");
  return unifiedDiff(file, before, before.replace(/x\n/g, "y\n"));
}

/** The fenced block that opens with ```` ```diff ```` (any fence length), and its fence. */
function diffBlock(summary: string): { fence: string; body: string } {
  const open = /^(`{3,})diff$/m.exec(summary)!;
  const fence = open[1] as string;
  const start = (open.index as number) + open[0].length + 1;
  const end = summary.indexOf(`\n${fence}`, start - 1);
  return { fence, body: summary.slice(start, end + 1) };
}

describe("the job summary's safe fixes", () => {
  it("shows the whole patch in a diff block when it fits", () => {
    const diffs = [fileDiff("a/plugin.json", 3), fileDiff("b/plugin.json", 2)];
    const summary = summaryOf({ diffs, count: 5, checkout: true, file: PATCH, suggested: 0 });

    expect(summary).toContain("### Safe fixes (5 fixes in 2 files)");
    expect(diffBlock(summary)).toEqual({ fence: "```", body: diffs.join("") });
    expect(summary).not.toContain("suggested");
    expect(summary).not.toContain("shown to stay within");
  });

  it("cuts a long patch to a quarter of the summary, whole files first, and says where the whole patch is", () => {
    const diffs = Array.from({ length: 400 }, (_, i) => fileDiff(`skills/s${i}/SKILL.md`, 12));
    const summary = summaryOf({ diffs, count: 400, checkout: true, file: PATCH, suggested: 0 });
    const { body } = diffBlock(summary);

    expect(Buffer.byteLength(diffs.join(""))).toBeGreaterThan(JOB_SUMMARY_LIMIT / 4);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT / 4);
    const shown = diffs.filter((d) => body.includes(d)).length;
    expect(body).toBe(diffs.slice(0, shown).join(""));
    expect(summary).toContain(`_… ${shown} of 400 files shown to stay within GitHub's size limit; the whole patch is \`${PATCH}\`, the \`fix-patch\` output._`);
    expect(summary).toContain("### Timings");
  });

  it("shows the first lines of a first file too long on its own, and keeps the step's summary under 1 MiB", () => {
    const huge = fileDiff("skills/huge/SKILL.md", 20_000);
    const summary = summaryOf({ diffs: [huge, fileDiff("b.md", 1)], count: 2, checkout: true, file: PATCH, suggested: 0 }, 900_000);
    const { body } = diffBlock(summary);

    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT - 900_000);
    expect(body.length).toBeGreaterThan(0);
    expect(huge.startsWith(body)).toBe(true);
    expect(body.endsWith("\n")).toBe(true);
    expect(summary).toContain("_… part of 1 of 2 files shown to stay within GitHub's size limit");
  });

  it("fences the patch with more backticks than any run in it, so Markdown fences in a fixed file do not end the block", () => {
    const diffs = [unifiedDiff("skills/a/SKILL.md", "---\nname: A\n---\n````md\n```\n````\n", "---\nname: a\n---\n````md\n```\n````\n")];
    const summary = summaryOf({ diffs, count: 1, checkout: true, file: PATCH, suggested: 0 });

    expect(diffBlock(summary)).toEqual({ fence: "`````", body: diffs[0] });
  });

  it("names the suggested fixes it leaves out, and says without a checkout that the patch needs one", () => {
    expect(summaryOf({ diffs: [fileDiff("a.json", 1)], count: 1, checkout: true, file: PATCH, suggested: 2 })).toContain("2 findings with a suggested fix are left out: such a fix changes meaning, so `skilldex fix --suggested` applies it only when asked.");
    expect(summaryOf({ diffs: [], count: 0, checkout: true, file: null, suggested: 1 })).toContain("### Safe fixes\n\nNo safe fix to apply.\n\n1 finding with a suggested fix is left out");
    expect(summaryOf({ diffs: [], count: 0, checkout: true, file: null, suggested: 0 })).not.toContain("### Safe fixes");
    expect(summaryOf({ diffs: [], count: 3, checkout: false, file: null, suggested: 0 })).toContain("`skilldex fix` would repair 3 findings. The patch is made from a checkout");
    expect(summaryOf({ diffs: [], count: 0, checkout: false, file: null, suggested: 0 })).not.toContain("### Safe fixes");
  });
});
