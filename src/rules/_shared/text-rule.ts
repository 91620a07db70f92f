import { ARTIFACT_TYPES, type FailReasonCode, type Profile, type Severity } from "../../model.js";
import type { TextProblemKind } from "../../parse/text.js";
import type { Rule, RuleContext } from "../types.js";

const ALL_TYPES = ARTIFACT_TYPES;

/** A rule that reports the text problems of some kinds that reading the file found. */
export function textRule(
  rule: Pick<Rule, "id" | "description" | "fix" | "example" | "severity" | "severityByType"> & { kinds: TextProblemKind[]; reason: FailReasonCode },
): Rule {
  const { kinds, ...rest } = rule;
  return {
    ...rest,
    types: ALL_TYPES,
    check({ load, report }: RuleContext) {
      if (load.kind !== "text") return;
      for (const problem of load.problems) {
        if (kinds.includes(problem.kind)) report({ message: problem.message, span: problem.span });
      }
    },
  };
}

export const warnUnderBoth: Partial<Record<Profile, Severity>> = { "claude-code": "warning", agentskills: "warning" };
