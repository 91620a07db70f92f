import type { ArtifactResult, Finding, Report, Severity } from "../model.js";
import { RULES } from "../rules/registry.js";
import { foldFindings, type ShownFinding } from "./fold.js";

/** One rule's findings across the report, as the rollup every renderer opens with shows it. */
export interface RuleRollup {
  rule: string;
  /** The most severe level the rule reported at (settings can differ by path). */
  severity: Severity;
  /** Findings shown under this rule, after folding. */
  findings: number;
  /** Artifacts with at least one of them. */
  artifacts: number;
  /** Failed artifacts that fail on this rule alone: fixing it turns them green. */
  turnsGreen: number;
  /** The first finding in report order, for `file:line`. */
  example: Finding;
  /** Rules folded into this one's findings. */
  also: string[];
  /** What to do, in one line, from the rule's entry in the registry; "" for a rule it does not know. */
  hint: string;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
const HINTS = new Map(RULES.map((rule) => [rule.id, firstSentence(rule.fix || rule.description)]));

/** The artifacts' findings as renderers show them: each family's findings at one place folded into one. */
export function shownFindings(artifact: ArtifactResult): ShownFinding[] {
  return foldFindings(artifact.findings);
}

/**
 * The findings grouped by rule, the rules that would turn the most failed artifacts green first,
 * then by severity, by artifacts affected and by findings. `errorsOnly` leaves warnings and notices out.
 */
export function rollupByRule(report: Report, errorsOnly = false): RuleRollup[] {
  const byRule = new Map<string, RuleRollup & { keys: Set<string> }>();
  for (const artifact of report.artifacts) {
    const folded = shownFindings(artifact);
    // Findings folded into one are one fix: the rules left after folding are what stands between the artifact and green.
    const errorRules = new Set(folded.filter((f) => f.severity === "error").map((f) => f.rule));
    const shown = errorsOnly ? folded.filter((f) => f.severity === "error") : folded;
    for (const f of shown) {
      let entry = byRule.get(f.rule);
      if (!entry) {
        entry = { rule: f.rule, severity: f.severity, findings: 0, artifacts: 0, turnsGreen: 0, example: f, also: [], hint: HINTS.get(f.rule) ?? "", keys: new Set() };
        byRule.set(f.rule, entry);
      }
      entry.findings++;
      if (RANK[f.severity] < RANK[entry.severity]) entry.severity = f.severity;
      for (const rule of f.also) if (!entry.also.includes(rule)) entry.also.push(rule);
      // Keys are not unique (a duplicate shares its key): the artifact's path tells copies apart.
      const id = `${artifact.key}\0${artifact.path}`;
      if (entry.keys.has(id)) continue;
      entry.keys.add(id);
      entry.artifacts++;
      if (artifact.status === "failed" && errorRules.size === 1 && errorRules.has(f.rule)) entry.turnsGreen++;
    }
  }
  return [...byRule.values()]
    .map(({ keys: _keys, ...entry }) => entry)
    .sort((a, b) => b.turnsGreen - a.turnsGreen || RANK[a.severity] - RANK[b.severity] || b.artifacts - a.artifacts || b.findings - a.findings || a.rule.localeCompare(b.rule));
}

/** `skills/pdf/SKILL.md:4`, the place a reader opens first. */
export function examplePlace(finding: Finding): string {
  return `${finding.file}:${finding.line}`;
}

function firstSentence(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  // A sentence ends at a full stop followed by a space and a capital, not inside `a.b` or "e.g. x".
  const end = line.search(/[.!?](?= [A-Z])/);
  return end === -1 ? line : line.slice(0, end + 1);
}
