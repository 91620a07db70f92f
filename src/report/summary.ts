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

/** What changed against the base, as every renderer shows it: added first, then updated, and what was removed. */
export function changesAgainstBase(report: Report): { line: string; changed: ArtifactResult[]; removed: RemovedArtifact[] } {
  const added = report.artifacts.filter((a) => a.change === "added");
  const updated = report.artifacts.filter((a) => a.change === "updated");
  const unchanged = report.artifacts.filter((a) => a.change === "unchanged").length;
  const removed = removedSinceBase(report);
  const gone = removed.length > 0 ? ` ${removed.length} removed since the base.` : "";
  return { line: `${added.length} added, ${updated.length} updated, ${unchanged} unchanged.${gone}`, changed: [...added, ...updated], removed };
}

/** An artifact that the base had and the scanned tree has not, as the report lists it apart. */
export type RemovedArtifact = NonNullable<Report["removed"]>[number];

/** The report's list of removals, when the pipeline gave one (it is additive to `skilldex/report@1`). */
export function removedSinceBase(report: Report): RemovedArtifact[] {
  return report.removed ?? [];
}

/** Excluded artifacts, one group per exclude pattern with its count, the largest first. */
export function excludedByPattern(report: Report): { pattern: string; count: number }[] {
  const groups = new Map<string, number>();
  for (const a of report.artifacts) {
    if (a.status !== "skipped" || a.reason?.code !== "excluded") continue;
    const pattern = a.reason.pattern ?? a.reason.message;
    groups.set(pattern, (groups.get(pattern) ?? 0) + 1);
  }
  return [...groups].map(([pattern, count]) => ({ pattern, count })).sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
}

/** Skipped artifacts other than excluded ones, which renderers collapse by pattern. */
export function skippedOneByOne(report: Report): ArtifactResult[] {
  return report.artifacts.filter((a) => a.status === "skipped" && a.reason?.code !== "excluded");
}
