import { ARTIFACT_TYPES, type FailReasonCode, type Profile, type Severity } from "../../model.js";
import type { TextProblem, TextProblemKind } from "../../parse/text.js";
import type { Rule, RuleContext, RuleFix } from "../types.js";
import { withFix } from "./fix-text.js";

const ALL_TYPES = ARTIFACT_TYPES;

/** A rule that reports the text problems of some kinds that reading the file found. */
export function textRule(
  rule: Pick<Rule, "id" | "description" | "fix" | "fixable" | "example" | "severity" | "severityByType"> & {
    kinds: TextProblemKind[];
    reason: FailReasonCode;
    /** The repair of a problem in this artifact, when the rule offers one. */
    repair?: (problem: TextProblem, context: RuleContext) => RuleFix | undefined;
  },
): Rule {
  const { kinds, repair, ...rest } = rule;
  return {
    ...rest,
    types: ALL_TYPES,
    check(context: RuleContext) {
      const { load, report } = context;
      if (load.kind !== "text") return;
      for (const problem of load.problems) {
        if (!kinds.includes(problem.kind)) continue;
        report({ message: problem.message, span: problem.span, ...withFix(repair?.(problem, context)) });
      }
    },
  };
}

export const warnUnderBoth: Partial<Record<Profile, Severity>> = { "claude-code": "warning", agentskills: "warning" };
