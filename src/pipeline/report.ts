import { ARTIFACT_TYPES, emptyCounts, REPORT_SCHEMA, type ArtifactResult, type ArtifactType, type Change, type Profile, type Report, type Severity } from "../model.js";
import { VERSION } from "../version.js";
import type { ReadStats } from "./read.js";

/** Added, updated or unchanged against the base, from the files at the base and those that changed. */
export function changeOf(result: ArtifactResult, atBase: Set<string>, changed: Set<string>): Change {
  const manifest = result.files[0];
  if (manifest === undefined) return "unchanged";
  if (!atBase.has(manifest)) return "added";
  return result.files.some((f) => changed.has(f)) ? "updated" : "unchanged";
}

/** Report order: by type, then key, then path. */
export function sortResults(results: { type: ArtifactType; key: string; path: string }[]): void {
  results.sort((a, b) => ARTIFACT_TYPES.indexOf(a.type) - ARTIFACT_TYPES.indexOf(b.type) || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.path < b.path ? -1 : 1));
}

export function buildReport(input: {
  root: string;
  profile: Profile;
  base: string | null;
  results: ArtifactResult[];
  /** The artifacts removed since the base; null without a base. */
  removed: NonNullable<Report["removed"]> | null;
  timings: Report["timings"];
  stats: ReadStats;
  filesListed: number;
  strategy: string;
  warnings: string[];
  apiCalls: number;
  bytesFetched: number;
}): Report {
  const totals = emptyCounts();
  const byType = Object.fromEntries(ARTIFACT_TYPES.map((t) => [t, emptyCounts()])) as Record<ArtifactType, ReturnType<typeof emptyCounts>>;
  const findings: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let unchanged = 0;
  let skippedByPreference = 0;
  for (const r of input.results) {
    totals.discovered++;
    totals[r.status]++;
    byType[r.type].discovered++;
    byType[r.type][r.status]++;
    for (const f of r.findings) findings[f.severity]++;
    if (r.change === "unchanged") unchanged++;
    if (r.reason?.code === "in_skip_list") skippedByPreference++;
  }
  const n = input.results.length;
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "skilldex", version: VERSION },
    root: input.root,
    profile: input.profile,
    base: input.base,
    totals,
    byType,
    artifacts: input.results,
    ...(input.removed ? { removed: input.removed } : {}),
    metrics: {
      strategy: input.strategy,
      filesListed: input.filesListed,
      filesRead: input.stats.filesRead,
      bytesRead: input.stats.bytesRead,
      apiCalls: input.apiCalls,
      bytesFetched: input.bytesFetched,
      preScanHitRate: input.base === null ? null : n === 0 ? 0 : unchanged / n,
      skipAdoption: n === 0 ? 0 : skippedByPreference / n,
      findings,
    },
    timings: Object.fromEntries(Object.entries(input.timings).map(([k, v]) => [k, round(v)])) as Report["timings"],
    warnings: input.warnings,
  };
}
