import type { Report } from "../src/model.js";
import type { FixPatch } from "./fix.js";
import type { CreatedCheckRun } from "./github.js";
import type { Runner } from "./runner.js";

/** The outputs of action.yml, from the report of the run; with no report (nothing to index), totals of 0 and empty metrics. */
export function setOutputs(runner: Runner, report: Report | null, conclusion: string, checkRun: CreatedCheckRun | null, reportPath: string, fix: Pick<FixPatch, "path" | "fixable"> | null = null): void {
  const totals = report?.totals ?? { discovered: 0, success: 0, skipped: 0, failed: 0 };
  runner.output("discovered", totals.discovered);
  runner.output("success", totals.success);
  runner.output("skipped", totals.skipped);
  runner.output("failed", totals.failed);
  runner.output("conclusion", conclusion);
  runner.output("check-run-id", checkRun ? String(checkRun.id) : "");
  runner.output("report-path", reportPath);
  const metrics = report?.metrics;
  runner.output("strategy", metrics?.strategy ?? "");
  runner.output("api-calls", metrics?.apiCalls ?? 0);
  runner.output("bytes-fetched", metrics?.bytesFetched ?? 0);
  runner.output("pre-scan-hit-rate", metrics?.preScanHitRate == null ? "" : fraction(metrics.preScanHitRate));
  runner.output("skip-adoption", metrics ? fraction(metrics.skipAdoption) : "");
  runner.output("duration-ms", report ? Math.round(report.timings.total) : "");
  runner.output("fix-patch", fix?.path ?? "");
  runner.output("fixable", fix?.fixable ?? "");
}

/** After an error: the conclusion, the check run if there is one, and nothing the run did not get to know. */
export function setFailureOutputs(runner: Runner, checkRun: CreatedCheckRun | null): void {
  for (const name of ["discovered", "success", "skipped", "failed"]) runner.output(name, "");
  runner.output("conclusion", "failure");
  runner.output("check-run-id", checkRun ? String(checkRun.id) : "");
  for (const name of ["report-path", "strategy", "api-calls", "bytes-fetched", "pre-scan-hit-rate", "skip-adoption", "duration-ms", "fix-patch", "fixable"]) runner.output(name, "");
}

/** A share from 0 to 1, to four places: enough to compare runs, short enough to read. */
function fraction(value: number): string {
  return String(Math.round(value * 10_000) / 10_000);
}
