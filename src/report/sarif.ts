import type { Report, Severity } from "../model.js";
import { RULES } from "../rules/registry.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", notice: "note" };

/** SARIF 2.1.0, for code scanning uploads. */
export function renderSarif(report: Report): string {
  const used = new Set(report.artifacts.flatMap((a) => a.findings.map((f) => f.rule)));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "skilldex",
            version: report.tool.version,
            rules: RULES.filter((r) => used.has(r.id)).map((r) => ({ id: r.id, shortDescription: { text: r.description } })),
          },
        },
        results: report.artifacts.flatMap((a) =>
          a.findings.map((f) => ({
            ruleId: f.rule,
            level: LEVEL[f.severity],
            message: { text: `${a.key}: ${f.message}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.file },
                  region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
