import { join } from "node:path";
import type { ArtifactResult, BaselineEntry, FailReasonCode, Finding, Report } from "../model.js";
import { thousands } from "../parse/text.js";
import { buildReport } from "../pipeline/report.js";
import { readTextWithin } from "../config.js";
import { artifactReason } from "../rules/run.js";
import { findingFingerprints } from "./fingerprint.js";

/** Where `skilldex baseline` writes the findings that exist today, relative to the repository root. */
export const BASELINE_PATH = ".github/skilldex-baseline.json";
export const BASELINE_SCHEMA = "skilldex/baseline@1";
/** A baseline holds a line or so per finding: 10,000 findings are about 1.3 MB. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

const entryId = (e: BaselineEntry): string => `${e.key}\0${e.rule}\0${e.fingerprint}`;

/** Every finding of the report as a baseline entry, sorted so that the file diffs well. */
export function baselineEntries(report: Report): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  for (const a of report.artifacts) {
    const fingerprints = findingFingerprints(a);
    a.findings.forEach((f, i) => entries.push({ rule: f.rule, key: a.key, fingerprint: fingerprints[i] as string }));
  }
  return sortEntries(entries);
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  return entries.sort((x, y) => (entryId(x) < entryId(y) ? -1 : entryId(x) > entryId(y) ? 1 : 0));
}

/** The baseline file: one entry a line, so that a pull request that shrinks it shows what was fixed. */
export function renderBaseline(entries: readonly BaselineEntry[]): string {
  const lines = entries.map((e) => `    ${JSON.stringify({ rule: e.rule, key: e.key, fingerprint: e.fingerprint })}`);
  return `{\n  "schema": "${BASELINE_SCHEMA}",\n  "findings": [${lines.length ? `\n${lines.join(",\n")}\n  ` : ""}]\n}\n`;
}

/** A baseline file that cannot be used, with what to do. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaselineError";
  }
}

export function parseBaseline(text: string, file = BASELINE_PATH): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${file} is not valid JSON (${(error as Error).message}); write it again with \`skilldex baseline\``);
  }
  const { schema, findings } = (data ?? {}) as { schema?: unknown; findings?: unknown };
  if (schema !== BASELINE_SCHEMA || !Array.isArray(findings)) throw new BaselineError(`${file} is not a ${BASELINE_SCHEMA} file with a findings list; write it again with \`skilldex baseline\``);
  return findings.map((e: unknown, i) => {
    const { rule, key, fingerprint } = (e ?? {}) as Record<string, unknown>;
    if (typeof rule !== "string" || typeof key !== "string" || typeof fingerprint !== "string") throw new BaselineError(`${file}: finding ${i + 1} needs rule, key and fingerprint as text`);
    return { rule, key, fingerprint };
  });
}

/** The baseline at the root, or null when there is none. */
export function readBaseline(root: string, path = BASELINE_PATH): BaselineEntry[] | null {
  let text: string;
  try {
    text = readTextWithin(join(root, path), MAX_BASELINE_BYTES, (size) => `${path} is ${thousands(size)} bytes, over the ${MAX_BASELINE_BYTES / 1024 / 1024} MiB a baseline may hold`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new BaselineError(code === undefined ? (error as Error).message : `${path} cannot be read (${code})`);
  }
  return parseBaseline(text, path);
}

/**
 * Holds back the findings the baseline has: each artifact keeps them apart in `baselined`, and
 * one whose every error is baselined is no longer failed. `report.baseline` counts them and
 * lists the entries no finding matches any more: those were fixed. Changes the report in place.
 */
export function applyBaseline(report: Report, entries: readonly BaselineEntry[], file = BASELINE_PATH): Report {
  const known = new Set(entries.map(entryId));
  const matched = new Set<string>();
  let baselined = 0;
  for (const a of report.artifacts) {
    if (a.findings.length === 0) continue;
    const fingerprints = findingFingerprints(a);
    const kept: Finding[] = [];
    const held: Finding[] = [];
    a.findings.forEach((f, i) => {
      const id = entryId({ rule: f.rule, key: a.key, fingerprint: fingerprints[i] as string });
      if (known.has(id)) {
        matched.add(id);
        held.push(f);
      } else kept.push(f);
    });
    if (held.length === 0) continue;
    baselined += held.length;
    a.findings = kept;
    a.baselined = held;
    if (a.status === "failed") refail(a);
  }
  recount(report);
  report.baseline = { file, baselined, fixed: entries.filter((e) => !matched.has(entryId(e))) };
  return report;
}

/** The entries of a baseline that a finding of the report still matches: `skilldex baseline --prune`. */
export function pruneBaseline(entries: readonly BaselineEntry[], report: Report): BaselineEntry[] {
  const current = new Set(baselineEntries(report).map(entryId));
  return sortEntries(entries.filter((e) => current.has(entryId(e))));
}

/** A failed artifact after its baselined findings left: success without errors, else its reason from the errors left. */
function refail(a: ArtifactResult): void {
  const code = a.reason?.code as FailReasonCode;
  const reason = artifactReason(a.findings, a.findings.map(() => code));
  if (reason) a.reason = reason;
  else {
    a.status = "success";
    a.reason = null;
  }
}

/** The totals, the counts by type and the findings by severity, again from the artifacts, as the pipeline counts them. */
export function recount(report: Report): void {
  const { metrics } = report;
  const counted = buildReport({ ...report, removed: report.removed ?? null, results: report.artifacts, stats: metrics, filesListed: metrics.filesListed, strategy: metrics.strategy, apiCalls: metrics.apiCalls, bytesFetched: metrics.bytesFetched });
  report.totals = counted.totals;
  report.byType = counted.byType;
  report.metrics.findings = counted.metrics.findings;
}

/** A scan of a folder on disk, with the baseline at its root applied when it has one. */
export function applyBaselineAt(report: Report): Report {
  if (report.metrics.strategy !== "workspace") return report;
  const entries = readBaseline(report.root);
  return entries ? applyBaseline(report, entries) : report;
}
