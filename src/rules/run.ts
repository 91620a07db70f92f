import type { Artifact, FailReasonCode, Finding, Profile, Severity } from "../model.js";
import { severityOf, type FileIndex, type Load, type Rule, type RuleContext, type ScanScope } from "./types.js";

/** The most findings one rule lists for one artifact; the rest are counted in one more finding. */
export const MAX_FINDINGS_PER_RULE = 200;

/**
 * Runs every rule that applies. Each finding's reason code comes back beside it, in `reasons`:
 * it decides the artifact's reason, but the report carries it only there.
 */
export function runRules(candidate: { artifact: Artifact; load: Load }, profile: Profile, rules: readonly Rule[], files: FileIndex, scope?: ScanScope): { findings: Finding[]; reasons: FailReasonCode[] } {
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
      findings.push(finding);
      reasons.push(input.reason ?? rule.reason);
    },
  };
  for (const r of rules) {
    if (!r.types.includes(artifact.type)) continue;
    const level = severityOf(r, artifact.type, profile);
    if (level === "off") continue;
    rule = r;
    severity = level;
    reported = 0;
    try {
      r.check(context);
    } catch (error) {
      // A rule that throws is a bug in skilldex, not in the artifact: say so and go on.
      context.report({ message: `Internal error in rule ${r.id}: ${(error as Error).message}. Please report it.`, span: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    }
    if (reported > MAX_FINDINGS_PER_RULE) {
      const last = findings[findings.length - 1] as Finding;
      findings.push({ ...last, message: `…and ${reported - MAX_FINDINGS_PER_RULE} more findings of ${r.id} in this artifact, not listed; fix the ones above and scan again.` });
      reasons.push(reasons[reasons.length - 1] as FailReasonCode);
    }
  }
  return { findings, reasons };
}

