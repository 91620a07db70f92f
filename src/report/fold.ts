import type { Finding, Severity } from "../model.js";

/**
 * Findings that follow from one another: one bad skill name is lowercase-, character- and
 * directory-wrong at once. Within a family, findings on the same file, line and column are one
 * problem to a reader, so renderers show the first and fold the others in. The JSON report keeps
 * every finding; this is a view.
 */
export const FINDING_FAMILIES: readonly (readonly string[])[] = [
  ["skill/name-lowercase", "skill/name-characters", "skill/name-hyphens", "skill/name-length", "skill/name-matches-directory"],
];

/** A finding as renderers show it, with the rules folded into it. */
export interface ShownFinding extends Finding {
  also: string[];
}

const FAMILY_OF = new Map<string, number>(FINDING_FAMILIES.flatMap((rules, i) => rules.map((rule) => [rule, i] as [string, number])));
const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/**
 * One artifact's findings with each family's findings at one place folded into the first of them
 * (the most severe, then the family's order), in the order the findings came.
 */
export function foldFindings(findings: readonly Finding[]): ShownFinding[] {
  const heads = new Map<string, ShownFinding>();
  const shown: ShownFinding[] = [];
  const order = [...findings.keys()].sort((a, b) => priority(findings[a] as Finding) - priority(findings[b] as Finding) || a - b);
  const kept = new Map<number, ShownFinding>();
  for (const i of order) {
    const f = findings[i] as Finding;
    const family = FAMILY_OF.get(f.rule);
    const place = family === undefined ? null : `${family}\0${f.file}\0${f.line}\0${f.column}`;
    const head = place === null ? undefined : heads.get(place);
    if (head) {
      if (f.rule !== head.rule && !head.also.includes(f.rule)) head.also.push(f.rule);
      continue;
    }
    const entry: ShownFinding = { ...f, also: [] };
    if (place !== null) heads.set(place, entry);
    kept.set(i, entry);
  }
  for (const i of findings.keys()) {
    const entry = kept.get(i);
    if (entry) shown.push(entry);
  }
  return shown;
}

function priority(f: Finding): number {
  return RANK[f.severity] * 100 + (FINDING_FAMILIES[FAMILY_OF.get(f.rule) ?? -1]?.indexOf(f.rule) ?? 0);
}

/** `(also: skill/name-characters, skill/name-matches-directory)`, or "" when nothing was folded. */
export function alsoNote(finding: { also: readonly string[] }): string {
  return finding.also.length > 0 ? ` (also: ${finding.also.join(", ")})` : "";
}
