import type { Report } from "../model.js";
import { escapeControls } from "../parse/text.js";
import { breakdownLine, byStatus, findingLine, plural } from "./summary.js";

/**
 * What `skilldex scan` prints in a terminal. Names, paths, reasons and messages come from the
 * repository: each line is printed with its control characters escaped, so a name cannot add a
 * line of its own (a forged `✓ 9 imported`) or send the terminal an escape sequence.
 */
export function renderText(report: Report): string {
  const lines: string[] = [];
  lines.push(`skilldex ${report.tool.version} · ${plural(report.totals.discovered, "artifact")} in ${report.root} · profile ${report.profile}${report.base ? ` · base ${report.base}` : ""}`);
  lines.push(breakdownLine(report, true));
  const failed = byStatus(report, "failed");
  if (failed.length > 0) {
    lines.push("", "Failed:");
    for (const a of failed) {
      lines.push(`  ✗ ${a.key} (${a.reason?.code})`);
      for (const f of a.findings) if (f.severity === "error") lines.push(`      ${findingLine(f)}`);
    }
  }
  const skipped = byStatus(report, "skipped");
  if (skipped.length > 0) {
    lines.push("", "Skipped:");
    // A duplicate shares its key with another artifact: only its path says which copy it is.
    for (const a of skipped) lines.push(`  ○ ${a.key} (${a.reason?.code})${a.reason?.code === "duplicate" ? ` ${a.path}:` : ""} ${a.reason?.message ?? ""}`.trimEnd());
  }
  const warned = report.artifacts.filter((a) => a.findings.some((f) => f.severity !== "error"));
  const warnings = warned.reduce((n, a) => n + a.findings.filter((f) => f.severity !== "error").length, 0);
  if (warnings > 0) {
    lines.push("", `Warnings and notices (${warnings}):`);
    for (const a of warned) for (const f of a.findings) if (f.severity !== "error") lines.push(`  ! ${findingLine(f)}`);
  }
  if (report.base) {
    const changed = report.artifacts.filter((a) => a.change === "added" || a.change === "updated");
    lines.push("", `Against ${report.base}: ${changed.filter((a) => a.change === "added").length} added, ${changed.filter((a) => a.change === "updated").length} updated, ${report.artifacts.filter((a) => a.change === "unchanged").length} unchanged.`);
  }
  const fixable = report.artifacts.reduce((n, a) => n + a.findings.filter((f) => f.fixable === "safe").length, 0);
  if (fixable > 0) lines.push("", `\`skilldex fix\` would repair ${fixable} of these findings.`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  lines.push("", `Done in ${report.timings.total.toFixed(0)} ms.`);
  return `${lines.map(escapeControls).join("\n")}\n`;
}
