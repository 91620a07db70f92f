import { capabilityChangesSection } from "./capabilities.js";
import type { Report } from "../model.js";
import { fitSections, tableSection, type Section } from "./fit.js";
import { artifactEntry, breakdownTable, cell, changeItems, failedTable, rollupTable, skippedTable, timingsTable } from "./markdown.js";
import { breakdownLine, byStatus, changesAgainstBase, plural } from "./summary.js";

/** GitHub refuses a step's job summary larger than 1 MiB. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface JobSummaryContext {
  /** The check run published, or null with the reason there is none. */
  checkRun: { id: number; url: string | null } | null;
  checkRunProblem?: string | null;
  /** Requests made to the GitHub API in this run. */
  apiCalls: number;
  /** Annotations made out of all findings in this repository's files; `external` findings are in other repositories' files and get none. */
  annotations: { shown: number; total: number; external?: number };
  /** The folder scanned, relative to the repository root. */
  path?: string;
  /** Bytes the summary file already holds, so that the step's whole summary stays within the limit. */
  alreadyWritten?: number;
}

/** The job summary of one Action run: the breakdown, a pie of the statuses, what was cut, timings. */
export function renderJobSummary(report: Report, context: JobSummaryContext): string {
  const t = report.totals;
  const sections: Section[] = [];
  const about = [`Profile \`${report.profile}\``, report.base ? `compared with \`${report.base}\`` : "no base to compare with"];
  if (context.path && context.path !== ".") about.push(`folder \`${context.path}\``);
  sections.push({ head: `## skilldex: ${breakdownLine(report)}\n\n${about.join(" · ")}.` });
  if (t.discovered === 0) {
    sections.push({ head: "No agent artifacts were found: no skills, commands, agents, hooks, MCP configs, plugins or marketplaces." });
  } else {
    sections.push({ head: breakdownTable(report) });
    sections.push({ head: statusPie(report) });
  }
  const rollup = rollupTable(report);
  if (rollup) sections.push(tableSection("### By rule", rollup, "rules"));
  const failed = byStatus(report, "failed");
  if (failed.length > 0) sections.push(tableSection(`### Failed (${failed.length})`, failedTable(failed), "failed artifacts"));
  const skipped = byStatus(report, "skipped");
  if (skipped.length > 0) sections.push(tableSection(`### Skipped (${skipped.length})`, skippedTable(report), "skipped artifacts"));
  if (report.base) {
    const head = `### Changes\n\n${changesAgainstBase(report).line}`;
    const items = changeItems(report);
    sections.push(items.length > 0 ? { head: `${head}\n`, items, noun: "changed artifacts" } : { head });
  }
  // Every finding, for the ones the check run had no annotation for: failed artifacts first.
  const withFindings = [...failed, ...report.artifacts.filter((a) => a.status !== "failed" && a.findings.length > 0)];
  if (withFindings.length > 0) sections.push({ head: `### Findings (${plural(withFindings.reduce((n, a) => n + a.findings.length, 0), "finding")} in ${plural(withFindings.length, "artifact")})\n`, items: withFindings.map(artifactEntry), noun: "artifacts with findings" });
  const capabilities = capabilityChangesSection(report);
  if (capabilities) sections.push(capabilities);
  if (report.warnings.length > 0) sections.push({ head: "### Warnings\n", items: report.warnings.map((w) => `- ${w}`), noun: "warnings" });
  sections.push({ head: `### Run\n\n${runTable(report, context)}` });
  sections.push({ head: `### Timings\n\n${timingsTable(report)}` });
  const limit = JOB_SUMMARY_LIMIT - (context.alreadyWritten ?? 0);
  return `${fitSections(sections, limit - 1, "the full list is in the JSON report (the report-path input)")}\n`;
}

/** A mermaid pie of the status distribution; GitHub draws it in the summary. */
function statusPie(report: Report): string {
  const slices: [string, number][] = [
    ["imported", report.totals.success],
    ["skipped", report.totals.skipped],
    ["failed", report.totals.failed],
  ];
  const lines = ["```mermaid", "pie showData title Artifacts by status"];
  for (const [label, n] of slices) if (n > 0) lines.push(`  "${label}" : ${n}`);
  lines.push("```");
  return lines.join("\n");
}

function runTable(report: Report, context: JobSummaryContext): string {
  const check = context.checkRun
    ? context.checkRun.url
      ? `[#${context.checkRun.id}](${context.checkRun.url})`
      : `#${context.checkRun.id}`
    : `none${context.checkRunProblem ? `: ${cell(context.checkRunProblem)}` : ""}`;
  const { shown, total, external = 0 } = context.annotations;
  const m = report.metrics;
  const rows = [
    "| | |",
    "| --- | --- |",
    `| Strategy | ${m.strategy} |`,
    `| Files listed | ${m.filesListed} |`,
    `| Files read | ${m.filesRead} (${plural(m.bytesRead, "byte")}) |`,
    `| Fetched | ${plural(m.bytesFetched, "byte")} |`,
    `| Check run | ${check} |`,
    `| Annotations | ${shown === total ? total : `${shown} of ${total}`}${external > 0 ? ` (and ${plural(external, "finding")} in external plugins, not annotated)` : ""} |`,
    `| API calls | ${context.apiCalls} |`,
    `| Pre-scan hit rate | ${m.preScanHitRate === null ? "no base" : `${percent(m.preScanHitRate)} unchanged against the base`} |`,
    `| Skip adoption | ${percent(m.skipAdoption)} skipped by preference |`,
  ];
  return rows.join("\n");
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
