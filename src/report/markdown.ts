import { ARTIFACT_TYPES, type ArtifactResult, type Report } from "../model.js";
import { breakdownLine, byStatus, changesAgainstBase } from "./summary.js";

/** Text for a Markdown table cell: pipes escaped, lines joined. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function breakdownTable(report: Report): string {
  const rows = ["| Type | Discovered | Imported | Skipped | Failed |", "| --- | ---: | ---: | ---: | ---: |"];
  for (const type of ARTIFACT_TYPES) {
    const c = report.byType[type];
    if (c.discovered > 0) rows.push(`| ${type} | ${c.discovered} | ${c.success} | ${c.skipped} | ${c.failed} |`);
  }
  const t = report.totals;
  rows.push(`| **total** | **${t.discovered}** | **${t.success}** | **${t.skipped}** | **${t.failed}** |`);
  return rows.join("\n");
}

export function skippedTable(skipped: ArtifactResult[]): string {
  const rows = ["| Artifact | Reason | Details |", "| --- | --- | --- |"];
  for (const a of skipped) rows.push(`| \`${cell(a.key)}\` | ${a.reason?.code ?? ""} | ${cell(a.reason?.message ?? "")} |`);
  return rows.join("\n");
}

export function failedTable(failed: ArtifactResult[]): string {
  const rows = ["| Artifact | Reason | Where | Problem |", "| --- | --- | --- | --- |"];
  for (const a of failed) {
    const first = a.findings.find((f) => f.severity === "error");
    const where = first ? `\`${cell(first.file)}:${first.line}:${first.column}\`` : "";
    rows.push(`| \`${cell(a.key)}\` | ${a.reason?.code ?? ""} | ${where} | ${cell(a.reason?.message ?? "")} |`);
  }
  return rows.join("\n");
}

export function timingsTable(report: Report): string {
  const t = report.timings;
  const rows = ["| Stage | Time |", "| --- | ---: |"];
  const stages: [string, number | undefined][] = [
    ["listing", t.listing],
    ["discovery", t.discovery],
    ["reading and parsing", t.readingAndParsing],
    ["validation", t.validation],
    ["change detection", t.changeDetection],
    ["publishing", t.publishing],
    ["total", t.total],
  ];
  for (const [name, ms] of stages) if (ms !== undefined) rows.push(`| ${name} | ${ms.toFixed(1)} ms |`);
  return rows.join("\n");
}

/** Enough warnings to act on in a comment; the JSON report has them all. */
const MAX_WARNING_ROWS = 100;

/** The Markdown report: a job summary, a PR comment, or `--format markdown`. */
export function renderMarkdown(report: Report): string {
  const parts: string[] = [];
  parts.push(`## skilldex: ${breakdownLine(report)}`);
  parts.push(`Profile \`${report.profile}\`${report.base ? `, compared with \`${report.base}\`` : ""}.`);
  parts.push(breakdownTable(report));
  const failed = byStatus(report, "failed");
  if (failed.length > 0) parts.push(`### Failed (${failed.length})`, failedTable(failed));
  const skipped = byStatus(report, "skipped");
  if (skipped.length > 0) parts.push(`### Skipped (${skipped.length})`, skippedTable(skipped));
  const notes = report.artifacts.filter((a) => a.status !== "skipped").flatMap((a) => a.findings.filter((f) => f.severity !== "error").map((f) => ({ a, f })));
  if (notes.length > 0) {
    const rows = ["| Artifact | Where | Rule | Problem |", "| --- | --- | --- | --- |"];
    for (const { a, f } of notes.slice(0, MAX_WARNING_ROWS)) rows.push(`| \`${cell(a.key)}\` | \`${cell(f.file)}:${f.line}:${f.column}\` | ${f.severity} \`${f.rule}\` | ${cell(f.message)} |`);
    if (notes.length > MAX_WARNING_ROWS) rows.push(`\n${notes.length - MAX_WARNING_ROWS} more are in the JSON report.`);
    parts.push(`### Warnings and notices (${notes.length})`, rows.join("\n"));
  }
  if (report.base) {
    const { line, changed } = changesAgainstBase(report);
    parts.push("### Changes", [line, ...changed.map((a) => `- ${a.change} \`${cell(a.key)}\``)].join("\n"));
  }
  if (report.warnings.length > 0) parts.push("### Warnings", report.warnings.map((w) => `- ${w}`).join("\n"));
  parts.push("### Timings", timingsTable(report));
  return `${parts.join("\n\n")}\n`;
}
