import type { Report } from "../model.js";

export const FAIL_ON = ["failed", "warning", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Whether a report trips `--fail-on` (the CLI's exit code 1, the Action's failure conclusion). */
export function trips(report: Report, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  if (report.totals.failed > 0) return true;
  return failOn === "warning" && report.artifacts.some((a) => a.status !== "skipped" && a.findings.some((f) => f.severity === "warning"));
}
