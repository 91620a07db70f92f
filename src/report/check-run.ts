import { capabilityChangesSection } from "./capabilities.js";
import type { ArtifactResult, Finding, Report, Severity } from "../model.js";
import { isExternalPath } from "../discover/paths.js";
import { fitSections, tableSection, truncate, type Section } from "./fit.js";
import { alsoNote } from "./fold.js";
import { shownFindings } from "./rollup.js";
import { artifactEntry, breakdownTable, changeItems, failedTable, rollupTable, skippedTable } from "./markdown.js";
import { breakdownLine, byStatus, changesAgainstBase, excludedByPattern, plural, skippedOneByOne } from "./summary.js";

/** GitHub refuses a check run whose summary or text is longer than this. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
/** GitHub accepts at most this many annotations in one create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limits on one annotation's title and message. */
const ANNOTATION_TITLE_LIMIT = 255;
const ANNOTATION_MESSAGE_LIMIT = 64 * 1024;

export type CheckRunConclusion = "success" | "failure" | "neutral";

/** One annotation as the checks API takes it. */
export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text: string;
}

export interface RenderedCheckRun {
  conclusion: CheckRunConclusion;
  output: CheckRunOutput;
  /** Annotations in requests of at most 50: the first goes with the creation, the rest with updates. */
  annotationBatches: CheckRunAnnotation[][];
  /** Findings left without an annotation because of `maxAnnotations`. */
  annotationsLeftOut: number;
  /** Findings in external plugins' files, which live in other repositories and so get no annotation. */
  externalFindings: number;
}

export interface CheckRunOptions {
  /** Whether the report trips fail-on; the adapter decides, the renderer only shows it. */
  tripped: boolean;
  /** At most this many annotations in all (the Action's max-annotations). */
  maxAnnotations: number;
  /** Where the whole report can be read, named in the notes of what was cut ("the job summary"). */
  fullReportAt?: string;
}

const LEVEL: Record<Severity, CheckRunAnnotation["annotation_level"]> = { error: "failure", warning: "warning", notice: "notice" };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** `failure` when fail-on trips, `neutral` when there was nothing to index, `success` otherwise. */
export function checkRunConclusion(report: Report, tripped: boolean): CheckRunConclusion {
  if (tripped) return "failure";
  return report.totals.discovered === 0 ? "neutral" : "success";
}

/** The check run of a report: title, summary and text within GitHub's limits, and its annotations. */
export function renderCheckRun(report: Report, options: CheckRunOptions): RenderedCheckRun {
  const where = options.fullReportAt ?? "the JSON report";
  const all = annotatedFindings(report);
  const findings = all.filter((f) => !isExternalFile(f.finding.file));
  const externalFindings = all.length - findings.length;
  const shown = findings.slice(0, Math.max(0, options.maxAnnotations));
  const annotationsLeftOut = findings.length - shown.length;
  const annotations = shown.map(toAnnotation);
  const annotationBatches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) annotationBatches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return {
    conclusion: checkRunConclusion(report, options.tripped),
    output: {
      title: report.totals.discovered === 0 ? "No artifacts found" : breakdownLine(report),
      summary: renderSummary(report, { ...options, annotationsLeftOut, annotationsShown: shown.length, externalFindings }, where),
      text: renderText(report, where),
    },
    annotationBatches,
    annotationsLeftOut,
    externalFindings,
  };
}

/** The one error that stopped a run before it had a report, and for a malformed config the place to fix. */
export interface RunFailure {
  message: string;
  place: { file: string; line: number; col: number } | null;
  /** How to run the check again, as the surface that posts it offers: the Action's workflow by default. */
  again?: string;
}

/**
 * The check run of a run that stopped before indexing: the error as its summary, within the same
 * limits as any other check run, and for a malformed config an annotation at its place.
 */
export function renderFailedCheckRun(failure: RunFailure): RenderedCheckRun {
  const { message, place } = failure;
  const summary = place ? `${message}\n\nAt \`${place.file}\`, line ${place.line}, column ${place.col}.` : message;
  const annotations: CheckRunAnnotation[] = place
    ? [{ path: place.file, start_line: place.line, end_line: place.line, start_column: place.col, end_column: place.col, annotation_level: "failure", title: "skilldex config", message: truncate(message, ANNOTATION_MESSAGE_LIMIT) }]
    : [];
  return {
    conclusion: "failure",
    output: {
      title: "skilldex stopped before indexing",
      summary: fitSections([{ head: summary }], CHECK_RUN_TEXT_LIMIT, "the whole message is in the log of the workflow run"),
      text: `No artifact was indexed, so none is listed as imported, skipped or failed. Fix the error and ${failure.again ?? "run the workflow again; its log has the details"}.`,
    },
    annotationBatches: annotations.length > 0 ? [annotations] : [],
    annotationsLeftOut: 0,
    externalFindings: 0,
  };
}

/**
 * A file under an `@external/` folder belongs to a plugin fetched from another repository: an
 * annotation there would point at a path this commit does not have.
 */
export function isExternalFile(path: string): boolean {
  return isExternalPath(path);
}

/**
 * Every finding of the report in the order annotations go to them: errors first, then warnings
 * and notices on artifacts the push or pull request added or updated, then the rest, each by
 * severity and in report order. When annotations run short, they go where a reviewer looks.
 */
function annotatedFindings(report: Report): { artifact: ArtifactResult; finding: Finding }[] {
  // Findings folded into one are one annotation: the others' rules are named in its message.
  const all = report.artifacts.flatMap((artifact) => shownFindings(artifact).map(({ also, ...finding }) => ({ artifact, finding: { ...finding, message: `${finding.message}${alsoNote({ also })}` } })));
  const tier = ({ artifact, finding }: { artifact: ArtifactResult; finding: Finding }): number =>
    finding.severity === "error" ? 0 : artifact.change === "added" || artifact.change === "updated" ? 1 + SEVERITY_RANK[finding.severity] : 3 + SEVERITY_RANK[finding.severity];
  return all.map((f, i) => ({ f, i, t: tier(f) })).sort((a, b) => a.t - b.t || a.i - b.i).map(({ f }) => f);
}

function toAnnotation({ artifact, finding }: { artifact: ArtifactResult; finding: Finding }): CheckRunAnnotation {
  const startLine = Math.max(1, finding.line);
  const endLine = Math.max(startLine, finding.endLine);
  const annotation: CheckRunAnnotation = {
    path: finding.file,
    start_line: startLine,
    end_line: endLine,
    annotation_level: LEVEL[finding.severity],
    message: truncate(finding.message, ANNOTATION_MESSAGE_LIMIT),
    title: truncate(`${artifact.key}: ${finding.rule}`, ANNOTATION_TITLE_LIMIT),
  };
  // GitHub accepts columns only on an annotation that starts and ends on the same line.
  if (startLine === endLine) {
    annotation.start_column = Math.max(1, finding.column);
    annotation.end_column = Math.max(annotation.start_column, finding.endColumn);
  }
  return annotation;
}

function renderSummary(report: Report, options: CheckRunOptions & { annotationsLeftOut: number; annotationsShown: number; externalFindings: number }, where: string): string {
  const sections: Section[] = [];
  const t = report.totals;
  const lines = [
    `**${breakdownLine(report)}** of ${plural(t.discovered, "artifact")} · profile \`${report.profile}\` · ${report.base ? `compared with \`${shortSha(report.base)}\`` : "no base to compare with"}`,
  ];
  if (options.tripped) lines.push("", "fail-on tripped: this check fails.");
  sections.push({ head: lines.join("\n") });
  if (t.discovered > 0) sections.push({ head: breakdownTable(report) });
  const rollup = rollupTable(report);
  if (rollup) sections.push(tableSection("### By rule", rollup, "rules"));
  const failed = byStatus(report, "failed");
  if (failed.length > 0) sections.push(tableSection(`### Failed (${failed.length})`, failedTable(failed), "failed artifacts"));
  const skipped = byStatus(report, "skipped");
  if (skipped.length > 0) sections.push(tableSection(`### Skipped (${skipped.length})`, skippedTable(report), "skipped artifacts"));
  if (report.base) sections.push(changesSection(report));
  const capabilities = capabilityChangesSection(report);
  if (capabilities) sections.push(capabilities);
  if (options.annotationsLeftOut > 0) {
    sections.push({
      head: `### Annotations\n\n${options.annotationsShown} of ${options.annotationsShown + options.annotationsLeftOut} findings are annotated (max-annotations is ${options.maxAnnotations}); the other ${options.annotationsLeftOut} are listed in the details below and in ${where}.`,
    });
  }
  if (options.externalFindings > 0) {
    sections.push({
      head: `### External plugins\n\n${plural(options.externalFindings, "finding")} in the files of external plugins ${options.externalFindings === 1 ? "is" : "are"} not annotated: those files are in other repositories. Each is listed under its plugin in the details below and in ${where}.`,
    });
  }
  if (report.warnings.length > 0) sections.push({ head: "### Warnings\n", items: report.warnings.map((w) => `- ${w}`), noun: "warnings" });
  return fitSections(sections, CHECK_RUN_TEXT_LIMIT, `the full list is in ${where}`);
}

function changesSection(report: Report): Section {
  const { line } = changesAgainstBase(report);
  const head = `### Changes against \`${shortSha(report.base ?? "")}\`\n\n${line}`;
  const items = changeItems(report);
  return items.length > 0 ? { head: `${head}\n`, items, noun: "changed artifacts" } : { head };
}

/** The full listing: every artifact grouped by status, failures first, each with its findings. */
function renderText(report: Report, where: string): string {
  const sections: Section[] = [];
  const groups: [ArtifactResult["status"], string][] = [
    ["failed", "Failed"],
    ["skipped", "Skipped"],
    ["success", "Imported"],
  ];
  for (const [status, heading] of groups) {
    const artifacts = status === "skipped" ? skippedOneByOne(report) : byStatus(report, status);
    const items = artifacts.map(artifactEntry);
    if (status === "skipped") for (const { pattern, count } of excludedByPattern(report)) items.push(`- **${plural(count, "artifact")}** excluded by the pattern \`${pattern}\``);
    if (items.length === 0) continue;
    sections.push({ head: `## ${heading} (${byStatus(report, status).length})\n`, items, noun: `${heading.toLowerCase()} artifacts` });
  }
  if (sections.length === 0) return "No agent artifacts were found: no skills, commands, agents, hooks, MCP configs, plugins or marketplaces.";
  return fitSections(sections, CHECK_RUN_TEXT_LIMIT, `the full list is in ${where}`);
}

function shortSha(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref;
}
