import type { FailReasonCode } from "../../model.js";
import type { FrontmatterProblem, FrontmatterProblemKind, FrontmatterView } from "../../parse/markdown.js";
import type { RuleContext } from "../types.js";

export const REASON_BY_KIND: Record<FrontmatterProblemKind, FailReasonCode> = {
  missing: "missing_metadata",
  unclosed: "yaml_parse_error",
  yaml: "yaml_parse_error",
  "not-mapping": "invalid_structure",
};

/** Whether the profile's reference is the specification's validator: for a skill under `agentskills`. */
export function readsAsSpec(context: RuleContext): boolean {
  return context.profile === "agentskills" && context.artifact.type === "skill";
}

/**
 * The frontmatter as the profile's reference reads it: a skill under `agentskills` as the
 * specification's validator does; everything else as Claude Code does.
 */
export function frontmatterView(context: RuleContext): FrontmatterView | null {
  const markdown = context.markdown;
  if (!markdown) return null;
  return readsAsSpec(context) ? markdown.spec : markdown.claude;
}

const MISSING_WORDS: Record<"spec" | "claude", Record<"missing" | "unclosed", string>> = {
  spec: {
    missing: "SKILL.md must start with YAML frontmatter: a `---` line at the very top of the file.",
    unclosed: "The frontmatter opened with `---` on line 1 is never closed by a second `---`.",
  },
  claude: {
    missing: "The file has no frontmatter block: it must start with a `---` line and close with another `---`.",
    unclosed: "The frontmatter opened with `---` on line 1 is never closed by a second `---`, so Claude Code reads the file as having no frontmatter.",
  },
};

/** Reports a missing or unclosed frontmatter block as the profile's reference reads it. */
export function reportMissingFrontmatter(context: RuleContext): void {
  const words = MISSING_WORDS[readsAsSpec(context) ? "spec" : "claude"];
  for (const problem of frontmatterView(context)?.problems ?? []) {
    if (problem.kind === "missing" || problem.kind === "unclosed") context.report({ message: words[problem.kind], span: problem.span, reason: REASON_BY_KIND[problem.kind] });
  }
}

/** What a YAML reader said was wrong, as the start of a message. */
export function yamlErrorMessage(problem: FrontmatterProblem): string {
  return `The frontmatter is not valid YAML: ${problem.detail ?? "unreadable"}.`;
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
