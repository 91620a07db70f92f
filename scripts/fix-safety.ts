/**
 * Proof that `skilldex fix` is safe on real repositories. For each corpus and profile, a copy is
 * fixed, then scanned afresh, and compared with the scan before:
 *
 *   node lib/scripts/fix-safety.js --claude /path/to/node_modules/.bin/claude [--jobs 2] CORPUS_DIR...
 *
 * A regression is an artifact `success` before and `failed` after, a key present before and gone
 * after, or an error `claude plugin validate --json` reports on a fixed plugin folder that it did
 * not report on the original. The corpus itself is only read: every fix is written to the copy.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix, resolve } from "node:path";
import { fixFolder, fixableCounts } from "../src/fix/fix.js";
import type { Profile, Report } from "../src/model.js";
import { PROFILES } from "../src/model.js";
import { scan } from "../src/pipeline/pipeline.js";
import { inParallel, validateWithClaude, type OracleAnswer } from "./loader-parity.js";

interface Figures {
  corpus: string;
  profile: Profile;
  findingsBefore: number;
  fixable: number;
  findingsAfter: number;
  filesChanged: number;
  failedToSuccess: number;
  successToFailed: string[];
  keysLost: string[];
  pluginsValidated: number;
  newClaudeErrors: string[];
}

function findingCount(report: Report): number {
  return report.artifacts.reduce((n, a) => n + a.findings.length, 0);
}

/** The plugin folder (holding `.claude-plugin/plugin.json`) nearest above a file, or null. */
function pluginFolderOf(root: string, file: string): string | null {
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    const here = dir === "." ? "" : dir;
    if (existsSync(join(root, here, ".claude-plugin/plugin.json"))) return here;
    if (here === "") return null;
  }
}

const errorsOf = (answer: OracleAnswer): string[] => [...answer.manifestErrors, ...answer.contentErrors];

async function check(corpus: string, profile: Profile, claude: string | null, jobs: number): Promise<Figures> {
  const copy = mkdtempSync(join(tmpdir(), "fix-safety-"));
  const root = join(copy, basename(corpus));
  try {
    cpSync(corpus, root, { recursive: true, verbatimSymlinks: true });
    const result = await fixFolder({ root, profile });
    // What a person sees next: a fresh `skilldex scan` of the fixed folder, nothing kept from the fix run.
    const after = await scan({ root, profile });
    const before = result.before;
    const status = new Map(after.artifacts.map((a) => [`${a.key}\u0000${a.path}`, a.status]));
    const keysAfter = new Set(after.artifacts.map((a) => a.key));
    const figures: Figures = {
      corpus: basename(corpus),
      profile,
      findingsBefore: findingCount(before),
      fixable: fixableCounts(before).safe,
      findingsAfter: findingCount(after),
      filesChanged: result.changes.length,
      failedToSuccess: before.artifacts.filter((a) => a.status === "failed" && status.get(`${a.key}\u0000${a.path}`) === "success").length,
      successToFailed: before.artifacts.filter((a) => a.status === "success" && status.get(`${a.key}\u0000${a.path}`) === "failed").map((a) => a.key),
      keysLost: [...new Set(before.artifacts.map((a) => a.key))].filter((k) => !keysAfter.has(k)),
      pluginsValidated: 0,
      newClaudeErrors: [],
    };
    if (claude !== null) {
      const folders = [...new Set(result.changes.map((c) => pluginFolderOf(root, c.file)).filter((d): d is string => d !== null))];
      figures.pluginsValidated = folders.length;
      const found = await inParallel(folders, jobs, async (dir) => {
        const original = await validateWithClaude(claude, join(corpus, dir, ".claude-plugin/plugin.json"), join(corpus, dir));
        const fixed = await validateWithClaude(claude, join(root, dir, ".claude-plugin/plugin.json"), join(root, dir));
        const known = new Set(errorsOf(original));
        return errorsOf(fixed).filter((e) => !known.has(e)).map((e) => `${dir || "."}: ${e}`);
      });
      figures.newClaudeErrors = found.flat();
    }
    return figures;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  let claude: string | null = null;
  let jobs = 2;
  const corpora: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--claude") claude = argv[++i] ?? null;
    else if (arg === "--jobs") jobs = Number(argv[++i]);
    else corpora.push(resolve(arg));
  }
  if (corpora.length === 0) throw new Error("usage: fix-safety.js [--claude BIN] [--jobs N] CORPUS_DIR...");
  const rows: Figures[] = [];
  for (const corpus of corpora) for (const profile of PROFILES) rows.push(await check(corpus, profile, claude, jobs));
  console.log("| corpus | profile | findings before | fixable (safe) | findings after | files changed | failed → success | success → failed | keys lost | plugins validated | new claude errors |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.corpus} | ${r.profile} | ${r.findingsBefore} | ${r.fixable} | ${r.findingsAfter} | ${r.filesChanged} | ${r.failedToSuccess} | ${r.successToFailed.length} | ${r.keysLost.length} | ${claude === null ? "not run" : r.pluginsValidated} | ${claude === null ? "not run" : r.newClaudeErrors.length} |`);
  }
  const regressions = rows.flatMap((r) => [...r.successToFailed.map((k) => `${r.corpus} ${r.profile}: ${k} turned failed`), ...r.keysLost.map((k) => `${r.corpus} ${r.profile}: key ${k} lost`), ...r.newClaudeErrors.map((e) => `${r.corpus} ${r.profile}: claude: ${e}`)]);
  for (const line of regressions.slice(0, 50)) console.log(`regression: ${line}`);
  console.log(`regressions: ${regressions.length}`);
  if (regressions.length > 0) process.exitCode = 1;
}

await main(process.argv.slice(2));
