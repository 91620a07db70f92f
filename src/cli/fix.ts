import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fixPatch } from "../fix/diff.js";
import { fixesApplied, fixFolder, fixableCounts, type FixResult } from "../fix/fix.js";
import { PROFILES, type Profile } from "../model.js";
import { escapeControls } from "../parse/text.js";
import { breakdownLine, plural } from "../report/summary.js";

/** What `skilldex fix` needs of the command line it runs in. */
export interface FixIo {
  stdout: (text: string) => void;
  cwd: string;
}

/** A fix command called wrongly: exit code 2, with a one-line message. */
export class FixCommandError extends Error {
  override name = "FixCommandError";
}

export const FIX_HELP = `Usage: skilldex fix [path] [options]   apply the fixes the rules offer, then scan again

  --dry-run                           print the fixes as a unified diff; write nothing
  --suggested                         also apply suggested fixes (they change meaning: read them)
  --profile claude-code|agentskills   rule profile (default: the config's, else claude-code)
  --config FILE                       settings file, relative to the current folder
  --repo-name NAME                    the name keys use for the root (default: the folder's)

Exit codes: 0 nothing fails after fixing, 1 some artifact still fails, 2 bad usage or an internal error.`;

/** `skilldex fix [path]`: safe fixes (and suggested ones when asked), what changed, and whether anything still fails. */
export async function fixCommand(args: string[], io: FixIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean" },
      suggested: { type: "boolean" },
      profile: { type: "string" },
      config: { type: "string" },
      "repo-name": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout(`${FIX_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new FixCommandError(`fix takes one folder, not ${positionals.length}: ${positionals.join(" ")}`);
  if (values.profile !== undefined && !PROFILES.includes(values.profile as Profile)) throw new FixCommandError(`--profile must be one of ${PROFILES.join(", ")}, not ${JSON.stringify(values.profile)}`);
  const root = resolve(io.cwd, positionals[0] ?? ".");
  let isFolder: boolean;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    throw new FixCommandError(`${root} does not exist`);
  }
  if (!isFolder) throw new FixCommandError(`${root} is not a folder`);
  const dryRun = values["dry-run"] === true;
  const result = await fixFolder({
    root,
    profile: (values.profile as Profile | undefined) ?? null,
    suggested: values.suggested === true,
    dryRun,
    configPath: values.config ? resolve(io.cwd, values.config) : null,
    ...(values["repo-name"] ? { repoName: values["repo-name"] } : {}),
  });
  io.stdout(dryRun ? fixPatch(result.changes) : changeLines(result));
  io.stdout(`${summaryLine(result, dryRun)}\n`);
  return result.after.totals.failed > 0 ? 1 : 0;
}

/** One line per file changed: the file and how many fixes of each rule went in. */
function changeLines(result: FixResult): string {
  const lines = result.changes.map((c) => `fixed ${c.file}: ${Object.entries(c.rules).map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(", ")}`);
  for (const file of result.refused) lines.push(`not written ${file}: it is a link out of the folder`);
  return lines.map((l) => `${escapeControls(l)}\n`).join("");
}

function summaryLine(result: FixResult, dryRun: boolean): string {
  const fixes = fixesApplied(result.changes);
  const left = fixableCounts(result.after);
  const files = plural(result.changes.length, "file");
  const fixWord = (n: number): string => `${n} ${n === 1 ? "fix" : "fixes"}`;
  const what = `${dryRun ? "would apply" : "applied"} ${fixWord(fixes)} in ${files}`;
  const suggested = left.suggested > 0 ? ` · ${fixWord(left.suggested)} suggested left (--suggested)` : "";
  return `${what} · after fixing: ${breakdownLine(result.after, false)}${suggested}`;
}
