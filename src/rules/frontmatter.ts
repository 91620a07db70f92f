import type { FailReasonCode } from "../model.js";
import type { FrontmatterProblemKind } from "../parse/markdown.js";
import type { RuleContext } from "./types.js";

const REASON_BY_KIND: Record<FrontmatterProblemKind, FailReasonCode> = {
  missing: "missing_metadata",
  unclosed: "yaml_parse_error",
  yaml: "yaml_parse_error",
  "not-mapping": "invalid_structure",
};

/**
 * Reports what is wrong with a Markdown file's frontmatter, YAML syntax aside (the rule
 * frontmatter/yaml has that); `optional` frontmatter may be absent.
 */
export function reportFrontmatterProblems(context: RuleContext, optional: boolean): void {
  const markdown = context.markdown;
  if (!markdown) return;
  for (const problem of markdown.problems) {
    if (problem.kind === "yaml" || (optional && problem.kind === "missing")) continue;
    context.report({ message: problem.message, span: problem.span, reason: REASON_BY_KIND[problem.kind] });
  }
}

/**
 * The frontmatter's fields as the profile's loader sees them: Claude Code still reads the
 * top-level lines of frontmatter that is not valid YAML; the specification's validator does not.
 */
export function frontmatterFields(context: RuleContext): Record<string, unknown> | null {
  const markdown = context.markdown;
  if (!markdown) return null;
  return markdown.data ?? (context.profile === "claude-code" ? markdown.lenient : null);
}

/** A frontmatter field's string value; null when absent, not a string, or only white space. */
export function stringField(data: Record<string, unknown> | null, field: string): string | null {
  const value = data?.[field];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}
