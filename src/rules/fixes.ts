import type { Finding } from "../model.js";
import type { RuleFix } from "./types.js";

/**
 * The repair behind each fixable finding. A finding stays plain data for every renderer (it says
 * only `fixable`); the edits live here, found again by the finding itself, for `skilldex fix`.
 */
const FIXES = new WeakMap<Finding, RuleFix>();

/** Marks a finding fixable and keeps its repair. */
export function attachFix(finding: Finding, fix: RuleFix): void {
  finding.fixable = fix.level;
  FIXES.set(finding, fix);
}

/** The repair of a finding the rules reported in this process, if it has one. */
export function fixOf(finding: Finding): RuleFix | undefined {
  return FIXES.get(finding);
}
