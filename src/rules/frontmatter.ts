import type { FailReasonCode } from "../model.js";
import type { FrontmatterProblemKind } from "../parse/markdown.js";
import type { RuleContext } from "./types.js";

const REASON_BY_KIND: Record<FrontmatterProblemKind, FailReasonCode> = {
  missing: "missing_metadata",
  unclosed: "yaml_parse_error",
  yaml: "yaml_parse_error",
  "not-mapping": "invalid_structure",
};

/** Reports what is wrong with a Markdown file's frontmatter; `optional` frontmatter may be absent. */
export function reportFrontmatterProblems(context: RuleContext, optional: boolean): void {
  const markdown = context.markdown;
  if (!markdown) return;
  for (const problem of markdown.problems) {
    if (optional && problem.kind === "missing") continue;
    context.report({ message: problem.message, span: problem.span, reason: REASON_BY_KIND[problem.kind] });
  }
}

/** A frontmatter field's string value; null when absent, not a string, or only white space. */
export function stringField(data: Record<string, unknown> | null, field: string): string | null {
  const value = data?.[field];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}
