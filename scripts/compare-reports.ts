/**
 * Shows that two builds of skilldex give the same reports, byte for byte apart from timings:
 * run each build's `skilldex scan DIR --format json` into two folders, then
 *
 *   npm run build && node lib/scripts/compare-reports.js BEFORE_DIR AFTER_DIR
 *
 * Files are paired by name. Exit 0 when every pair is equal, 1 when any differs (the first
 * differences are printed), 2 on bad usage.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A report as text with its timings left out, the rest exactly as written. */
export function withoutTimings(text: string): string {
  const report = JSON.parse(text) as Record<string, unknown>;
  delete report.timings;
  return JSON.stringify(report, null, 2);
}

/** The first line where two texts differ, with a little context; null when they are equal. */
export function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  const left = a.split("\n");
  const right = b.split("\n");
  const at = left.findIndex((line, i) => line !== right[i]);
  const line = at === -1 ? left.length : at;
  return `line ${line + 1}:\n  - ${left[line] ?? "(end)"}\n  + ${right[line] ?? "(end)"}`;
}

function main(argv: string[]): number {
  const [before, after] = argv;
  if (!before || !after) {
    process.stderr.write("usage: compare-reports BEFORE_DIR AFTER_DIR\n");
    return 2;
  }
  let differing = 0;
  const names = readdirSync(before).filter((n) => n.endsWith(".json")).sort();
  for (const name of names) {
    let other: string;
    try {
      other = readFileSync(join(after, name), "utf8");
    } catch {
      process.stdout.write(`${name}: missing in ${after}\n`);
      differing++;
      continue;
    }
    const difference = firstDifference(withoutTimings(readFileSync(join(before, name), "utf8")), withoutTimings(other));
    if (difference === null) process.stdout.write(`${name}: the same apart from timings\n`);
    else {
      differing++;
      process.stdout.write(`${name}: differs at ${difference}\n`);
    }
  }
  process.stdout.write(`${names.length - differing} of ${names.length} reports the same\n`);
  return differing === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
