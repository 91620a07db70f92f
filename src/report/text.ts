import type { ArtifactResult, Report, Severity } from "../model.js";
import { escapeControls } from "../parse/text.js";
import { alsoNote, type ShownFinding } from "./fold.js";
import { examplePlace, rollupByRule, shownFindings, type RuleRollup } from "./rollup.js";
import { breakdownLine, byStatus, changesAgainstBase, excludedByPattern, plural, skippedOneByOne } from "./summary.js";

export interface TextOptions {
  /** ANSI colours; the CLI decides from the terminal, NO_COLOR and FORCE_COLOR. */
  color?: boolean;
  /** Errors only: warnings and notices are left out of the rollup and the detail. */
  quiet?: boolean;
  /** The rollup alone, without the per-artifact detail. */
  statistics?: boolean;
}

type Paint = (text: string) => string;
interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  yellow: Paint;
  green: Paint;
  blue: Paint;
}

const ansi = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLOURS: Palette = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), blue: ansi(34, 39) };
const same: Paint = (text) => text;
const PLAIN: Palette = { bold: same, dim: same, red: same, yellow: same, green: same, blue: same };
const MARK: Record<Severity, string> = { error: "✗", warning: "⚠", notice: "ℹ" };

/**
 * What `skilldex scan` prints in a terminal: the breakdown, the findings rolled up by rule, then
 * each artifact's findings grouped by file, as ESLint's stylish formatter does. Names, paths,
 * reasons and messages come from the repository: each is printed with its control characters
 * escaped, so a name cannot add a line of its own (a forged `✓ 9 imported`) or send the terminal
 * an escape sequence; colours are added around text already escaped.
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const p = options.color ? COLOURS : PLAIN;
  const e = escapeControls;
  const sev = (s: Severity): Paint => (s === "error" ? p.red : s === "warning" ? p.yellow : p.blue);
  const lines: string[] = [];
  lines.push(`skilldex ${e(report.tool.version)} · ${plural(report.totals.discovered, "artifact")} in ${e(report.root)} · profile ${report.profile}${report.base ? ` · base ${e(report.base)}` : ""}`);
  const { success, skipped, failed } = report.totals;
  lines.push(options.color ? `${p.green(`✓ ${success} imported`)} · ${p.dim(`○ ${skipped} skipped`)} · ${(failed > 0 ? p.red : same)(`✗ ${failed} failed`)}` : breakdownLine(report, true));

  const rollup = rollupByRule(report, options.quiet);
  if (rollup.length > 0) lines.push("", ...rollupLines(rollup, p, sev));
  const fixable = report.artifacts.reduce((n, a) => n + a.findings.filter((f) => f.fixable === "safe").length, 0);
  if (fixable > 0) lines.push("", `\`skilldex fix\` would repair ${plural(fixable, "finding")} of these.`);
  if (report.baseline) {
    const { file, baselined, fixed } = report.baseline;
    const gone = fixed.length > 0 ? `; ${plural(fixed.length, "finding")} it holds no longer occur (\`skilldex baseline --prune\` drops them)` : "";
    lines.push("", `The baseline ${e(file)} holds back ${plural(baselined, "finding")}, which fail nothing${gone}.`);
  }
  if (options.statistics) return finish(lines);

  const failedArtifacts = byStatus(report, "failed");
  if (failedArtifacts.length > 0) {
    lines.push("", p.bold(`Failed (${failedArtifacts.length}):`));
    for (const a of failedArtifacts) {
      const errors = shownFindings(a).filter((f) => f.severity === "error");
      lines.push(...artifactLines(`${p.red("✗")} ${e(a.key)} (${a.reason?.code})`, errors, p, sev));
    }
  }
  const skippedArtifacts = skippedOneByOne(report);
  const excluded = excludedByPattern(report);
  if (skippedArtifacts.length + excluded.length > 0) {
    lines.push("", p.bold("Skipped:"));
    // A duplicate shares its key with another artifact: only its path says which copy it is.
    for (const a of skippedArtifacts) lines.push(`  ${p.dim("○")} ${e(a.key)} (${a.reason?.code})${a.reason?.code === "duplicate" ? ` ${e(a.path)}:` : ""} ${e(a.reason?.message ?? "")}`.trimEnd());
    for (const { pattern, count } of excluded) lines.push(`  ${p.dim("○")} ${plural(count, "artifact")} excluded by the pattern ${e(JSON.stringify(pattern))}`);
  }
  if (!options.quiet) {
    const warned = report.artifacts.map((a) => ({ a, notes: shownFindings(a).filter((f) => f.severity !== "error") })).filter(({ notes }) => notes.length > 0);
    const count = warned.reduce((n, { notes }) => n + notes.length, 0);
    if (count > 0) {
      lines.push("", p.bold(`Warnings and notices (${count}):`));
      for (const { a, notes } of warned) lines.push(...artifactLines(`${p.yellow("!")} ${e(a.key)}`, notes, p, sev));
    }
  }
  if (report.base) lines.push("", ...changeLines(report, p));
  for (const w of report.warnings) lines.push(`${p.yellow("warning:")} ${e(w)}`);
  lines.push("", `Done in ${report.timings.total.toFixed(0)} ms.`);
  return finish(lines);
}

function finish(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** One line per rule and its hint below it: counts, one place to look, what to do. */
function rollupLines(rollup: RuleRollup[], p: Palette, sev: (s: Severity) => Paint): string[] {
  const findings = rollup.reduce((n, r) => n + r.findings, 0);
  const lines = [p.bold(`By rule (${plural(rollup.length, "rule")}, ${plural(findings, "finding")}; the first turn the most failed artifacts green):`)];
  const width = Math.max(...rollup.map((r) => r.rule.length));
  const countWidth = Math.max(...rollup.map((r) => String(r.findings).length));
  for (const r of rollup) {
    const green = r.turnsGreen > 0 ? ` · ${r.turnsGreen} fail on it alone` : "";
    const also = r.also.length > 0 ? ` · also ${r.also.join(", ")}` : "";
    lines.push(`  ${sev(r.severity)(MARK[r.severity])} ${r.rule.padEnd(width)}  ${String(r.findings).padStart(countWidth)} in ${plural(r.artifacts, "artifact")}${green}${also} · e.g. ${escapeControls(examplePlace(r.example))}`);
    if (r.hint) lines.push(`    ${p.dim(r.hint)}`);
  }
  return lines;
}

/**
 * An artifact's findings grouped by file: a single finding on the artifact's own line; else the
 * file's name there (or, for findings in several files, each file's name on a line of its own) and
 * the findings below it, each `line:col  severity  message  rule`, as ESLint's stylish formatter prints them.
 */
function artifactLines(head: string, findings: ShownFinding[], p: Palette, sev: (s: Severity) => Paint): string[] {
  const e = escapeControls;
  const byFile = new Map<string, ShownFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const entry = (f: ShownFinding, place: string): string => `${place}  ${sev(f.severity)(f.severity)}  ${e(f.message)}  ${p.dim(`${f.rule}${alsoNote(f)}`)}`;
  // One finding needs no group: it goes on the artifact's line, with its whole place.
  const [only] = findings;
  if (findings.length === 1 && only) return [`  ${head}  ${entry(only, `${e(only.file)}:${only.line}:${only.column}`)}`];
  // All in one file, as most artifacts' findings are: the file goes on the artifact's line.
  if (byFile.size === 1) {
    const file = findings[0]?.file ?? "";
    return [`  ${head}  ${p.bold(e(file))}`, ...findings.map((f) => `      ${entry(f, `${f.line}:${f.column}`)}`)];
  }
  const lines = [`  ${head}`];
  for (const [file, list] of byFile) {
    lines.push(`      ${p.bold(e(file))}`);
    for (const f of list) lines.push(`        ${entry(f, `${f.line}:${f.column}`)}`);
  }
  return lines;
}

function changeLines(report: Report, p: Palette): string[] {
  const { line, changed, removed } = changesAgainstBase(report);
  const e = escapeControls;
  const lines = [`${p.bold(`Against ${e(report.base ?? "")}:`)} ${line}`];
  for (const a of changed) lines.push(`  ${a.change === "added" ? p.green("+") : p.yellow("~")} ${a.change} ${e(a.key)}${location(a)}`);
  for (const a of removed) lines.push(`  ${p.red("-")} removed ${e(a.key)} (${e(a.path)})`);
  return lines;
}

function location(a: ArtifactResult): string {
  return a.status === "success" ? "" : ` (${a.status})`;
}
