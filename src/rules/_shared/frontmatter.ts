import type { FailReasonCode } from "../../model.js";
import type { FrontmatterProblemKind, FrontmatterView } from "../../parse/markdown.js";
import type { RuleContext } from "../types.js";

export const REASON_BY_KIND: Record<FrontmatterProblemKind, FailReasonCode> = {
  missing: "missing_metadata",
  unclosed: "yaml_parse_error",
  yaml: "yaml_parse_error",
  "not-mapping": "invalid_structure",
};

/**
 * The frontmatter as the profile's reference reads it: a skill under `agentskills` as the
 * specification's validator does; everything else as Claude Code does.
 */
export function frontmatterView(context: RuleContext): FrontmatterView | null {
  const markdown = context.markdown;
  if (!markdown) return null;
  return context.profile === "agentskills" && context.artifact.type === "skill" ? markdown.spec : markdown.claude;
}

/** Reports a missing or unclosed frontmatter block as the profile's reference reads it. */
export function reportMissingFrontmatter(context: RuleContext): void {
  for (const problem of frontmatterView(context)?.problems ?? []) {
    if (problem.kind === "missing" || problem.kind === "unclosed") context.report({ message: problem.message, span: problem.span, reason: REASON_BY_KIND[problem.kind] });
  }
}

/** A frontmatter field's string value; null when absent, not a string, or only white space. */
export function stringField(data: Record<string, unknown> | null, field: string): string | null {
  const value = data?.[field];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** What a value is, in a message: `a list`, `a number (5)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  return `a ${typeof value} (${String(value)})`;
}
