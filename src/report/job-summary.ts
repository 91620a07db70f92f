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
  /** The safe fixes as a patch; absent when none were looked for. */
  fixes?: FixSummary;
}

/** What `skilldex fix` would change, for the summary's section of safe fixes. */
export interface FixSummary {
  /** One unified diff per file changed, paths from the repository root; together they are the patch. Empty without a checkout. */
  diffs: string[];
  /** Fixes the patch holds; without a checkout, the findings a safe fix would repair. */
  count: number;
  /** Whether there was a checkout to make the patch from. */
  checkout: boolean;
  /** Where the whole patch is written; null when it is empty. */
  file: string | null;
  /** Findings whose fix changes meaning, left out of the patch. */
  suggested: number;
}

/** The share of the job summary the patch may take: enough to read, leaving the rest its room. */
const PATCH_SHARE = 4;

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
  const limit = JOB_SUMMARY_LIMIT - (context.alreadyWritten ?? 0);
  const fixes = context.fixes ? fixSection(context.fixes, Math.floor(limit / PATCH_SHARE)) : null;
  if (fixes) sections.push({ head: fixes });
  const capabilities = capabilityChangesSection(report);
  if (capabilities) sections.push(capabilities);
  if (report.warnings.length > 0) sections.push({ head: "### Warnings\n", items: report.warnings.map((w) => `- ${w}`), noun: "warnings" });
  sections.push({ head: `### Run\n\n${runTable(report, context)}` });
  sections.push({ head: `### Timings\n\n${timingsTable(report)}` });
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

/**
 * The safe fixes: the patch in a fenced `diff` block, whole files first, cut to `budget` bytes with
 * a note of where the whole patch is; or, without a checkout, how many findings it would repair.
 */
export function fixSection(fixes: FixSummary, budget: number): string | null {
  const suggested = fixes.suggested > 0 ? `\n\n${plural(fixes.suggested, "finding")} with a suggested fix ${fixes.suggested === 1 ? "is" : "are"} left out: such a fix changes meaning, so \`skilldex fix --suggested\` applies it only when asked.` : "";
  if (!fixes.checkout) {
    if (fixes.count === 0) return null;
    return `### Safe fixes\n\n\`skilldex fix\` would repair ${plural(fixes.count, "finding")}. The patch is made from a checkout: add \`actions/checkout\` before skilldex to get it in the \`fix-patch\` output.`;
  }
  if (fixes.file === null || fixes.count === 0) return suggested ? `### Safe fixes\n\nNo safe fix to apply.${suggested}` : null;
  const whole = fixes.diffs.join("");
  let longest = 0;
  for (const run of whole.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  // A fence longer than any run of backticks in the patch, which may hold Markdown with fences of its own.
  const fence = "`".repeat(Math.max(3, longest + 1));
  const head = `### Safe fixes (${fixes.count} ${fixes.count === 1 ? "fix" : "fixes"} in ${plural(fixes.diffs.length, "file")})\n\n\`skilldex fix\` would make these changes. The patch is the file the \`fix-patch\` output names, \`${fixes.file}\`: keep it with \`actions/upload-artifact\`, and apply it at the repository root with \`git apply\`.${suggested}\n\n${fence}diff\n`;
  // Room for the closing fence and the note.
  const room = budget - Buffer.byteLength(head) - fence.length - 400;
  let body = "";
  let used = 0;
  let files = 0;
  let partial = false;
  for (const diff of fixes.diffs) {
    const size = Buffer.byteLength(diff);
    if (used + size > room) {
      // A first file too long on its own: as many of its lines as fit.
      if (files === 0) {
        body = linesWithin(diff, room);
        partial = true;
      }
      break;
    }
    body += diff;
    used += size;
    files++;
  }
  const left = fixes.diffs.length - files;
  const cut = left > 0 ? `\n\n_… ${partial ? `part of 1 of ${plural(fixes.diffs.length, "file")}` : `${files} of ${plural(fixes.diffs.length, "file")}`} shown to stay within GitHub's size limit; the whole patch is \`${fixes.file}\`, the \`fix-patch\` output._` : "";
  return `${head}${body}${fence}${cut}`;
}

/** The whole lines of `text` within `max` UTF-8 bytes. */
function linesWithin(text: string, max: number): string {
  let out = "";
  let used = 0;
  for (const line of text.split(/(?<=\n)/)) {
    used += Buffer.byteLength(line);
    if (used > max) break;
    out += line;
  }
  return out;
}
