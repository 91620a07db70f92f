import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unifiedDiff } from "../src/fix/diff.js";
import { fixableCounts, fixesApplied, fixFolder } from "../src/fix/fix.js";
import type { Report } from "../src/model.js";
import type { FixSummary } from "../src/report/job-summary.js";
import { plural } from "../src/report/summary.js";
import type { Checkout } from "./checkout.js";
import { configFile } from "./config.js";
import type { Context } from "./context.js";
import type { Target } from "./event.js";
import type { Inputs } from "./inputs.js";
import { profileOf, repoNameOf } from "./scan.js";

/** The name of the patch file, in a folder of its own under RUNNER_TEMP. */
export const PATCH_FILE = "skilldex-fix.patch";

/** The safe fixes of a run: for the job summary, and the `fix-patch` and `fixable` outputs. */
export interface FixPatch {
  summary: FixSummary;
  /** The patch file's absolute path; "" when there is no patch. */
  path: string;
  /** The fixes the patch holds; "" when there was no checkout to make it from. */
  fixable: string;
}

export interface FixPlace {
  inputs: Inputs;
  workspace: string;
  checkout: Checkout | null;
  place: Checkout;
  target: Pick<Target, "repo">;
  /** The report of the run, for the counts when there is no checkout. */
  report: Report;
}

/**
 * What `skilldex fix` would change in the checkout, as a patch `git apply` takes at the repository
 * root. It is written under RUNNER_TEMP rather than in the workspace, where a later step could
 * commit it by mistake. Without a checkout there are no files to patch: the summary says how many
 * findings a safe fix would repair. A failure to make the patch is a warning; the run goes on.
 */
export async function makeFixPatch({ env, runner, log }: Context, { inputs, workspace, checkout, place, target, report }: FixPlace): Promise<FixPatch> {
  if (!checkout) {
    const counts = fixableCounts(report);
    return { summary: { diffs: [], count: counts.safe, checkout: false, file: null, suggested: counts.suggested }, path: "", fixable: "" };
  }
  try {
    const result = await fixFolder({
      root: checkout.root,
      dryRun: true,
      profile: profileOf(inputs),
      configPath: configFile(workspace, inputs.config, true),
      repoName: repoNameOf(place, target),
      skipPreferences: inputs.skipPreferences,
      // The run's own scan of the checkout is the first pass's, unless the baseline held findings back from it.
      ...(report.metrics.strategy === "workspace" && !inputs.onlyNew ? { before: report } : {}),
    });
    const fromRoot = (file: string): string => (checkout.prefix ? `${checkout.prefix}/${file}` : file);
    const diffs = result.changes.map((c) => unifiedDiff(fromRoot(c.file), c.before, c.after));
    const count = fixesApplied(result.changes);
    const suggested = fixableCounts(result.after).suggested;
    if (diffs.length === 0) return { summary: { diffs, count: 0, checkout: true, file: null, suggested }, path: "", fixable: "0" };
    const path = join(mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "skilldex-fix-")), PATCH_FILE);
    writeFileSync(path, diffs.join(""));
    runner.info(`fix patch: ${count} safe ${count === 1 ? "fix" : "fixes"} in ${plural(diffs.length, "file")}, written to ${path}`);
    return { summary: { diffs, count, checkout: true, file: path, suggested }, path, fixable: String(count) };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "unexpected error") : String(error);
    log.warn("no fix patch", { error });
    runner.warning(`skilldex could not make the fix patch: ${message}`);
    return { summary: { diffs: [], count: 0, checkout: true, file: null, suggested: 0 }, path: "", fixable: "" };
  }
}
