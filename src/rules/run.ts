import type { Artifact, FailReasonCode, Finding, Profile, Reason, Severity } from "../model.js";
import { attachFix } from "./fixes.js";
import { CHECK_ORDER } from "./order.js";
import { configuredLevel, type RuleSettings } from "./settings.js";
import { ruleTimings } from "./_shared/rule-timings.js";
import { severityOf, type FileIndex, type Load, type Rule, type RuleContext, type ScanScope } from "./types.js";

/** The most findings one rule lists for one artifact; the rest are counted in one more finding. */
export const MAX_FINDINGS_PER_RULE = 200;

/**
 * Runs every rule that applies. Each finding's reason code comes back beside it, in `reasons`:
 * it decides the artifact's reason, but the report carries it only there.
 */
export function runRules(candidate: { artifact: Artifact; load: Load; unfetched?: RuleContext["unfetched"] }, profile: Profile, rules: readonly Rule[], files: FileIndex, scope?: ScanScope, settings?: RuleSettings): { findings: Finding[]; reasons: FailReasonCode[] } {
  const { artifact, load } = candidate;
  const parsed = load.kind === "text" ? load.parsed : null;
  const findings: Finding[] = [];
  const reasons: FailReasonCode[] = [];
  let severity: Severity = "error";
  let rule: Rule = rules[0] as Rule;
  let reported = 0;
  const context: RuleContext = {
    artifact,
    profile,
    load,
    markdown: parsed?.format === "markdown" ? parsed : null,
    json: parsed?.format === "json" && parsed.problems.length === 0 ? parsed : null,
    script: parsed?.format === "script" ? parsed : null,
    files,
    ...(scope ? { scope } : {}),
    ...(candidate.unfetched ? { unfetched: candidate.unfetched } : {}),
    report(input) {
      // One rule gives a few hundred findings at most on one artifact: a hostile file cannot make it millions.
      if (++reported > MAX_FINDINGS_PER_RULE) return;
      const finding: Finding = {
        rule: rule.id,
        severity,
        message: input.message,
        file: input.file ?? artifact.manifest ?? artifact.path,
        line: input.span.line,
        column: input.span.column,
        endLine: input.span.endLine,
        endColumn: input.span.endColumn,
      };
      if (input.fix) attachFix(finding, input.fix);
      findings.push(finding);
      reasons.push(input.reason ?? rule.reason);
    },
  };
  const timings = ruleTimings();
  const list = applicable(rules, artifact.type, profile);
  // Indexed, with no iterator behind a destructuring: this loop runs once per rule per artifact, mostly before it is optimised.
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as (typeof list)[number];
    const r = entry[0];
    const base = entry[1];
    const level = configuredLevel(settings, r.id, artifact, base);
    if (level === "off") continue;
    rule = r;
    severity = level;
    reported = 0;
    const started = timings ? performance.now() : 0;
    try {
      r.check(context);
    } catch (error) {
      // A rule that throws is a bug in skilldex, not in the artifact: say so and go on.
      context.report({ message: `Internal error in rule ${r.id}: ${(error as Error).message}. Please report it.`, span: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    }
    timings?.add(r.id, performance.now() - started);
    if (reported > MAX_FINDINGS_PER_RULE) {
      const last = findings[findings.length - 1] as Finding;
      findings.push({ ...last, message: `…and ${reported - MAX_FINDINGS_PER_RULE} more findings of ${r.id} in this artifact, not listed; fix the ones above and scan again.` });
      reasons.push(reasons[reasons.length - 1] as FailReasonCode);
    }
  }
  return { findings, reasons };
}


const RANK = new Map(CHECK_ORDER.map((id, i) => [id, i]));
const ordered = new WeakMap<readonly Rule[], readonly Rule[]>();

/** The rules in CHECK_ORDER, whatever order they were given in; once per list of rules. */
function inCheckOrder(rules: readonly Rule[]): readonly Rule[] {
  let out = ordered.get(rules);
  if (!out) {
    out = [...rules].sort((a, b) => (RANK.get(a.id) ?? CHECK_ORDER.length) - (RANK.get(b.id) ?? CHECK_ORDER.length));
    ordered.set(rules, out);
  }
  return out;
}

const applicableRules = new WeakMap<readonly Rule[], Map<string, readonly (readonly [Rule, Severity | "off"])[]>>();

/** The rules for one type, in CHECK_ORDER, each with its profile's severity; once per list, type and profile. */
function applicable(rules: readonly Rule[], type: Artifact["type"], profile: Profile): readonly (readonly [Rule, Severity | "off"])[] {
  let byType = applicableRules.get(rules);
  if (!byType) applicableRules.set(rules, (byType = new Map()));
  const key = `${type}\0${profile}`;
  let out = byType.get(key);
  if (!out) {
    out = inCheckOrder(rules).filter((r) => r.types.includes(type)).map((r) => [r, severityOf(r, type, profile)] as const);
    byType.set(key, out);
  }
  return out;
}

/**
 * Why an artifact with errors failed: the first error in CHECK_ORDER gives the code and the
 * message, counting the other errors; null when there is no error.
 */
export function artifactReason(findings: readonly Finding[], reasons: readonly FailReasonCode[]): Reason | null {
  const first = findings.findIndex((f) => f.severity === "error");
  if (first === -1) return null;
  const errors = findings.filter((f) => f.severity === "error").length;
  const message = (findings[first] as Finding).message;
  return { code: reasons[first] as FailReasonCode, message: errors > 1 ? `${message} (and ${errors - 1} more error${errors > 2 ? "s" : ""})` : message };
}
