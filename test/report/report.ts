import { ARTIFACT_TYPES, emptyCounts, REPORT_SCHEMA, type ArtifactResult, type Finding, type Report } from "../../src/model.js";

/** Findings, artifacts and reports as the pipeline builds them, for the renderers to render. */

export function finding(overrides: Partial<Finding> = {}): Finding {
  return { rule: "agent/frontmatter", severity: "error", message: "No frontmatter.", file: "agents/a.md", line: 1, column: 1, endLine: 1, endColumn: 4, ...overrides };
}

export function artifact(key: string, status: ArtifactResult["status"], findings: Finding[] = []): ArtifactResult {
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
export function reportOf(artifacts: ArtifactResult[]): Report {
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
