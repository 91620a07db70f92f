import { findingFingerprints } from "../baseline/fingerprint.js";
import { proposedFix, type ProposedFix, type ReadText } from "../fix/proposals.js";
import type { Finding, Report, Severity } from "../model.js";
import { LineIndex } from "../parse/position.js";
import { thousands } from "../parse/text.js";
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

/**
 * SARIF 2.1.0, for code scanning uploads: within code scanning's limits, with a note in the run
 * when cut. A result whose finding offers a fix carries it as SARIF `fixes`, computed from the
 * files' texts as `readText` gives them (by default, read from the folder a workspace scan read).
 */
export function renderSarif(report: Report, limits = SARIF_LIMITS, readText: ReadText | null = null): string {
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
      ? [{ level: "warning", message: { text: `${thousands(all.length)} findings, over the ${thousands(limits.results)} results GitHub code scanning takes in one run: the first ${thousands(kept.length)} (errors first) are listed; the JSON report has them all.` } }]
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
          ...sarifFixes(f, readText),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

const FIX_DESCRIPTION: Record<ProposedFix["level"], string> = {
  safe: "Safe fix, as `skilldex fix` applies it: it makes the file loadable without changing what it means.",
  suggested: "Suggested fix, as `skilldex fix --suggested` applies it: it changes what the file means, so read it before applying it.",
};

/**
 * A finding's fix as SARIF `fixes`, safe and suggested alike: a SARIF fix is a proposal a person
 * applies one at a time, and the description says which kind it is. Regions count lines and
 * UTF-16 columns as the findings do, in the text without its BOM; removing the BOM itself is a
 * byte region, the only way SARIF can name it.
 */
function sarifFixes(finding: Finding, readText: ReadText | null): { fixes?: unknown[] } {
  const fix = readText ? proposedFix(finding, readText) : null;
  if (!fix) return {};
  const bom = fix.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = new LineIndex(fix.text.slice(bom));
  const region = (start: number, end: number): Record<string, number> => {
    if (end <= bom) return { byteOffset: 0, byteLength: end > start ? 3 : 0 };
    const a = lines.point(Math.max(start, bom) - bom);
    const b = lines.point(end - bom);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  };
  return {
    fixes: [
      {
        description: { text: FIX_DESCRIPTION[fix.level] },
        artifactChanges: [
          {
            artifactLocation: { uri: finding.file },
            replacements: fix.edits.map((e) => ({ deletedRegion: region(e.start, e.end), ...(e.text ? { insertedContent: { text: e.text } } : {}) })),
          },
        ],
      },
    ],
  };
}
