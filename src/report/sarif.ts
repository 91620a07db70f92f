import { findingFingerprints } from "../baseline/fingerprint.js";
import type { Finding, Report, Severity } from "../model.js";
import { RULES } from "../rules/registry.js";
import { PROJECT_URL, ruleHelpUrl } from "../rules/help.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", notice: "note" };
const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/**
 * The results GitHub code scanning takes in one run. It also takes at most 1,000 locations a
 * result; a finding has one place, so a result holds one location.
 */
export const SARIF_LIMITS = { results: 25_000 };

/** The partialFingerprints key; its version changes if the fingerprint's inputs ever do. */
export const FINGERPRINT_KEY = "skilldexFinding/v1";

/** SARIF 2.1.0, for code scanning uploads: within code scanning's limits, with a note in the run when cut. */
export function renderSarif(report: Report, limits = SARIF_LIMITS): string {
  const all: { finding: Finding; key: string; fingerprint: string; order: number }[] = [];
  for (const a of report.artifacts) {
    const fingerprints = findingFingerprints(a);
    a.findings.forEach((finding, i) => all.push({ finding, key: a.key, fingerprint: fingerprints[i] as string, order: all.length }));
  }
  // Over the limit, errors are kept before warnings and notices, in report order within each.
  const kept = all.length > limits.results ? [...all].sort((x, y) => RANK[x.finding.severity] - RANK[y.finding.severity] || x.order - y.order).slice(0, limits.results) : all;
  const used = new Set(kept.map((r) => r.finding.rule));
  const notes =
    kept.length < all.length
      ? [{ level: "warning", message: { text: `${all.length.toLocaleString("en-US")} findings, over the ${limits.results.toLocaleString("en-US")} results GitHub code scanning takes in one run: the first ${kept.length.toLocaleString("en-US")} (errors first) are listed; the JSON report has them all.` } }]
      : [];
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "skilldex",
            version: report.tool.version,
            informationUri: PROJECT_URL,
            rules: RULES.filter((r) => used.has(r.id)).map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: r.fix, markdown: `**How to fix it.** ${r.fix}\n\n[${r.id} in the rules reference](${ruleHelpUrl(r.id)})` },
              helpUri: ruleHelpUrl(r.id),
            })),
          },
        },
        invocations: [{ executionSuccessful: true, ...(notes.length > 0 ? { toolExecutionNotifications: notes } : {}) }],
        results: kept.map(({ finding: f, key, fingerprint }) => ({
          ruleId: f.rule,
          level: LEVEL[f.severity],
          message: { text: `${key}: ${f.message}` },
          // One finding has one place, so a result never nears the locations limit.
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
