import { compareWithBase } from "../git.js";
import type { Report } from "../model.js";
import { applyBaseline, BASELINE_PATH, readBaseline, recount } from "./baseline.js";

/** The Action's `filter`: fail on every artifact, or only on those the push or pull request changed (as reviewdog's filter-mode). */
export const FILTERS = ["all", "changed"] as const;
export type Filter = (typeof FILTERS)[number];

export interface GateOptions {
  /** Fail only on findings the baseline file does not hold. */
  onlyNew: boolean;
  filter: Filter;
  /** The commit the push or pull request is compared with; null when there is none. */
  base: string | null;
}

/**
 * What a run fails on. `report` is what is published: with `onlyNew`, the baseline's findings are
 * held back in it. `failing` is the part of it that decides failure: with `filter: changed`, only
 * the artifacts the change touched. `notices` say when an option could not take effect.
 */
export async function gateReport(report: Report, options: GateOptions): Promise<{ report: Report; failing: Report; notices: string[] }> {
  const notices: string[] = [];
  // Both options read the folder on disk: the baseline file, and git's view of the change.
  const onDisk = report.metrics.strategy === "workspace";
  if (options.onlyNew) {
    const entries = onDisk ? readBaseline(report.root) : null;
    if (entries) applyBaseline(report, entries);
    else notices.push(onDisk ? `only-new: there is no ${BASELINE_PATH} (\`skilldex baseline\` writes it), so every finding is new.` : "only-new reads the baseline from a checkout: add actions/checkout before skilldex; every finding counts as new.");
  }
  if (options.filter === "all") return { report, failing: report, notices };
  if (!onDisk || options.base === null) {
    notices.push(!onDisk ? "filter: changed compares files in a checkout: add actions/checkout before skilldex; every artifact counts." : "filter: changed has no base to compare with (no push or pull request base in the checkout), so every artifact counts.");
    return { report, failing: report, notices };
  }
  const { atBase, changed } = await compareWithBase(report.root, options.base);
  const touched = report.artifacts.filter((a) => a.files.length === 0 || a.files.some((f) => changed.has(f) || !atBase.has(f)));
  const failing: Report = { ...report, artifacts: touched, metrics: { ...report.metrics } };
  recount(failing);
  return { report, failing, notices };
}
