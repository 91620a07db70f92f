import { describe, expect, it } from "vitest";
import type { ArtifactResult, Report } from "../../src/model.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { artifact, finding, reportOf } from "./report.js";

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

function bigReport(): Report {
  const long = "x".repeat(300);
  return reportOf([
    ...Array.from({ length: 400 }, (_, i) => artifact(`agent:a${i}`, "failed", [finding({ file: `agents/a${i}.md`, message: `${long} ${i}` })])),
    ...Array.from({ length: 50 }, (_, i) => artifact(`skill:s${i}`, "skipped")),
  ]);
}

describe("the Markdown report", () => {
  it("stays within --max-bytes by leaving out whole sections from the end, and says which", () => {
    const report = bigReport();
    const whole = renderMarkdown(report);
    expect(bytes(whole)).toBeGreaterThan(65_000);

    const cut = renderMarkdown(report, { maxBytes: 65_000 });
    expect(bytes(cut)).toBeLessThanOrEqual(65_000);
    expect(cut.split("\n")[0]).toBe("## skilldex: 0 imported · 50 skipped · 400 failed");
    expect(cut).toContain("### By rule");
    // A section is kept whole or left out whole: no half table.
    expect(cut).not.toContain("### Failed (400)");
    expect(cut).toContain("### Skipped (50)");
    expect(cut).toContain("| `skill:s49` |");
    expect(cut).toContain("### Timings");
    expect(cut).toMatch(/_Failed \(400\) left out to stay within 65000 bytes; `skilldex scan --format json` has everything\._\n$/);
  });

  it("is left as it is when it fits the budget", () => {
    const report = reportOf([artifact("agent:a", "failed", [finding()])]);
    expect(renderMarkdown(report, { maxBytes: 65_000 })).toBe(renderMarkdown(report));
  });

  it("lists the changes against the base, removed artifacts included", () => {
    const added: ArtifactResult = { ...artifact("skill:new", "success"), change: "added" };
    const report = { ...reportOf([added]), base: "main", removed: [{ key: "skill:gone", type: "skill" as const, path: "skills/gone", change: "removed" as const }] };
    expect(renderMarkdown(report)).toContain("### Changes\n\n1 added, 0 updated, 0 unchanged. 1 removed since the base.\n\n- added `skill:new`\n- removed `skill:gone` (`skills/gone`)");
  });

  it("collapses excluded artifacts to one row per pattern", () => {
    const excluded = (key: string): ArtifactResult => ({ ...artifact(key, "skipped"), reason: { code: "excluded", message: 'Excluded by the pattern "backups/**" in the skilldex config.', pattern: "backups/**" } });
    const markdown = renderMarkdown(reportOf([excluded("skill:a"), excluded("skill:b"), excluded("skill:c")]));
    expect(markdown).toContain("| 3 artifacts | excluded | Excluded by the pattern `backups/**` in the skilldex config. |");
    expect(markdown).not.toContain("skill:a");
  });
});
