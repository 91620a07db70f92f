import type { ArtifactResult, Finding, Report } from "../model.js";

/** The one-line breakdown every renderer starts from: `42 imported · 3 skipped · 2 failed`. */
export function breakdownLine(report: Report, symbols = false): string {
  const { success, skipped, failed } = report.totals;
  return symbols
    ? `✓ ${success} imported · ○ ${skipped} skipped · ✗ ${failed} failed`
    : `${success} imported · ${skipped} skipped · ${failed} failed`;
}

export function byStatus(report: Report, status: ArtifactResult["status"]): ArtifactResult[] {
  return report.artifacts.filter((a) => a.status === status);
}

/** `file:line:col rule message`, the form editors and terminals turn into links. */
export function findingLine(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.rule} ${finding.message}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What changed against the base, as every renderer shows it: added first, then updated. */
export function changesAgainstBase(report: Report): { line: string; changed: ArtifactResult[] } {
  const added = report.artifacts.filter((a) => a.change === "added");
  const updated = report.artifacts.filter((a) => a.change === "updated");
  const unchanged = report.artifacts.filter((a) => a.change === "unchanged").length;
  return { line: `${added.length} added, ${updated.length} updated, ${unchanged} unchanged.`, changed: [...added, ...updated] };
}
