import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BASELINE_PATH, BaselineError, baselineEntries, pruneBaseline, readBaseline, renderBaseline } from "../baseline/baseline.js";
import { PROFILES, type Profile } from "../model.js";
import { scan } from "../pipeline/pipeline.js";
import type { CliIo } from "./usage.js";

export const BASELINE_HELP = `Usage: skilldex baseline [path] [options]

Writes every finding of a scan of the folder to ${BASELINE_PATH}. Later scans report those
findings apart and do not fail on them; a finding that disappeared is reported as fixed.

  --prune                             drop the entries no finding matches any more, add none
  --profile claude-code|agentskills   rule profile (default: the config's, else claude-code)
  --config FILE                       settings file (default: the folder's .github/skilldex.yml)`;

/** `skilldex baseline`: the findings that exist today, written where later scans read them. */
export async function baselineCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { prune: { type: "boolean" }, profile: { type: "string" }, config: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.stdout(`${BASELINE_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new BaselineError(`baseline takes one folder, not ${positionals.length}: ${positionals.join(" ")}`);
  if (values.profile !== undefined && !PROFILES.includes(values.profile as Profile)) throw new BaselineError(`--profile must be one of ${PROFILES.join(", ")}, not ${JSON.stringify(values.profile)}`);
  const root = resolve(io.cwd, positionals[0] ?? ".");
  const existing = readBaseline(root);
  if (values.prune && existing === null) throw new BaselineError(`there is no ${BASELINE_PATH} to prune; \`skilldex baseline\` writes one`);
  const report = await scan({ root, profile: (values.profile as Profile | undefined) ?? null, configPath: values.config ? resolve(io.cwd, values.config) : null });
  const entries = values.prune ? pruneBaseline(existing ?? [], report) : baselineEntries(report);
  const file = join(root, BASELINE_PATH);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderBaseline(entries));
  const dropped = (existing?.length ?? 0) - entries.length;
  io.stdout(values.prune ? `${BASELINE_PATH}: ${dropped} fixed finding${dropped === 1 ? "" : "s"} dropped, ${entries.length} kept\n` : `${BASELINE_PATH}: ${entries.length} finding${entries.length === 1 ? "" : "s"} written${existing ? ` (was ${existing.length})` : ""}\n`);
  return 0;
}
