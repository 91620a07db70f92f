import { ARTIFACT_TYPES, type ArtifactResult, type Report, type Severity } from "../model.js";
import { fitWholeSections, type WholeSection } from "./fit.js";
import { alsoNote } from "./fold.js";
import { examplePlace, rollupByRule, shownFindings } from "./rollup.js";
import { breakdownLine, byStatus, changesAgainstBase, excludedByPattern, skippedOneByOne } from "./summary.js";

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

/** The findings rolled up by rule, the table every Markdown renderer opens with; "" when there are none. */
export function rollupTable(report: Report, errorsOnly = false): string {
  const rollup = rollupByRule(report, errorsOnly);
  if (rollup.length === 0) return "";
  const rows = ["| Rule | Findings | Artifacts | Fail on it alone | Example | What to do |", "| --- | ---: | ---: | ---: | --- | --- |"];
  for (const r of rollup) {
    const also = r.also.length > 0 ? ` (also ${r.also.map((rule) => `\`${rule}\``).join(", ")})` : "";
    rows.push(`| ${r.severity} \`${r.rule}\`${also} | ${r.findings} | ${r.artifacts} | ${r.turnsGreen} | \`${cell(examplePlace(r.example))}\` | ${cell(r.hint)} |`);
  }
  return rows.join("\n");
}

/** Skipped artifacts one row each, except excluded ones: one row per exclude pattern with its count. */
export function skippedTable(report: Report): string {
  const rows = ["| Artifact | Reason | Details |", "| --- | --- | --- |"];
  for (const a of skippedOneByOne(report)) rows.push(`| \`${cell(a.key)}\` | ${a.reason?.code ?? ""} | ${cell(a.reason?.message ?? "")} |`);
  for (const { pattern, count } of excludedByPattern(report)) rows.push(`| ${count} ${count === 1 ? "artifact" : "artifacts"} | excluded | Excluded by the pattern \`${cell(pattern)}\` in the skilldex config. |`);
  return rows.join("\n");
}

export function failedTable(failed: ArtifactResult[]): string {
  const rows = ["| Artifact | Reason | Where | Problem |", "| --- | --- | --- | --- |"];
  for (const a of failed) {
    const first = shownFindings(a).find((f) => f.severity === "error");
    const where = first ? `\`${cell(first.file)}:${first.line}:${first.column}\`` : "";
    rows.push(`| \`${cell(a.key)}\` | ${a.reason?.code ?? ""} | ${where} | ${cell(a.reason?.message ?? "")}${first ? cell(alsoNote(first)) : ""} |`);
  }
  return rows.join("\n");
}

const MARK: Record<Severity, string> = { error: "✗", warning: "⚠", notice: "ℹ" };

/** One artifact as a list entry: key, place, status detail, and each finding shown (folded) below it. */
export function artifactEntry(a: ArtifactResult): string {
  const details = a.status === "success" ? (a.change ? ` · ${a.change}` : "") : a.reason ? ` — \`${a.reason.code}\`: ${oneLine(a.reason.message)}` : "";
  const lines = [`- **\`${a.key}\`** at \`${a.path || "."}\`${details}`];
  for (const f of shownFindings(a)) lines.push(`  - ${MARK[f.severity]} \`${f.file}:${f.line}:${f.column}\` \`${f.rule}\`${alsoNote(f)}: ${oneLine(f.message)}`);
  return lines.join("\n");
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, " ");
}

/** The artifacts added and updated since the base, then those removed, one list entry each. */
export function changeItems(report: Report): string[] {
  const { changed, removed } = changesAgainstBase(report);
  return [...changed.map((a) => `- ${a.change} \`${cell(a.key)}\``), ...removed.map((a) => `- removed \`${cell(a.key)}\` (\`${cell(a.path)}\`)`)];
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

export interface MarkdownOptions {
  /** At most this many UTF-8 bytes: whole sections are left out, from the end, with a note. */
  maxBytes?: number;
  /** Errors only: warnings and notices are left out. */
  quiet?: boolean;
  /** The rollup alone, without the per-artifact detail. */
  statistics?: boolean;
}

/** The Markdown report: `--format markdown`, a pull request comment. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const sections: WholeSection[] = [];
  const add = (title: string, text: string, required = false): void => {
    sections.push({ title, text, required });
  };
  add("heading", [`## skilldex: ${breakdownLine(report)}`, `Profile \`${report.profile}\`${report.base ? `, compared with \`${report.base}\`` : ""}.`, breakdownTable(report)].join("\n\n"), true);
  const rollup = rollupTable(report, options.quiet);
  if (rollup) add("By rule", `### By rule\n\n${rollup}`, true);
  if (!options.statistics) {
    const failed = byStatus(report, "failed");
    if (failed.length > 0) add(`Failed (${failed.length})`, `### Failed (${failed.length})\n\n${failedTable(failed)}`);
    if (report.base) {
      const items = changeItems(report);
      add("Changes", `### Changes\n\n${changesAgainstBase(report).line}${items.length > 0 ? `\n\n${items.join("\n")}` : ""}`);
    }
    const skipped = byStatus(report, "skipped");
    if (skipped.length > 0) add(`Skipped (${skipped.length})`, `### Skipped (${skipped.length})\n\n${skippedTable(report)}`);
    if (!options.quiet) {
      const notes = report.artifacts.filter((a) => a.status !== "skipped").flatMap((a) => shownFindings(a).filter((f) => f.severity !== "error").map((f) => ({ a, f })));
      if (notes.length > 0) {
        const rows = ["| Artifact | Where | Rule | Problem |", "| --- | --- | --- | --- |"];
        for (const { a, f } of notes.slice(0, MAX_WARNING_ROWS)) rows.push(`| \`${cell(a.key)}\` | \`${cell(f.file)}:${f.line}:${f.column}\` | ${f.severity} \`${f.rule}\`${cell(alsoNote(f))} | ${cell(f.message)} |`);
        if (notes.length > MAX_WARNING_ROWS) rows.push(`\n${notes.length - MAX_WARNING_ROWS} more are in the JSON report.`);
        add(`Warnings and notices (${notes.length})`, `### Warnings and notices (${notes.length})\n\n${rows.join("\n")}`);
      }
    }
    if (report.warnings.length > 0) add("Warnings", `### Warnings\n\n${report.warnings.map((w) => `- ${w}`).join("\n")}`);
    add("Timings", `### Timings\n\n${timingsTable(report)}`);
  }
  return `${fitWholeSections(sections, options.maxBytes ?? Number.POSITIVE_INFINITY, "`skilldex scan --format json` has everything", 1)}\n`;
}
