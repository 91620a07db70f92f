/**
 * `npm run bench`: the whole scan against a naive walk-read-parse (bench/naive-walk.ts), each in
 * a process of its own, on generated repositories of 100, 1,000 and 10,000 artifacts, or, with
 * `--repo DIR`, on any folder; each beside the floor of reading every file (`tar -cf - . > /dev/null`)
 * and the naive walk's own reading with no parsing (`naive-walk --read-only`), Node's floor.
 * Figures, not assertions: machines are shared and noisy, so runs alternate and the ratio is
 * taken within one run, from medians.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "../src/model.js";
import { generateRepository } from "./generate.js";
import { median } from "./median.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const here = dirname(fileURLToPath(import.meta.url));
/** The command as installed (package.json's `bin`, the bundle); another build's can be measured instead, to compare builds in one run. */
const CLI = process.env.SKILLDEX_BENCH_CLI ?? join(here, "..", "cli", "skilldex.js");
const NAIVE = join(here, "naive-walk.js");
const USAGE = join(here, "usage.js");

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
}


/** One process, timed from the outside; its CPU time and peak RSS as it saw them at exit. */
function runProcess(command: string, args: string[], cwd: string, work: string): Run {
  const usageFile = join(work, "usage.json");
  rmSync(usageFile, { force: true });
  const started = performance.now();
  const child = spawnSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SKILLDEX_BENCH_USAGE: usageFile } });
  const wallMs = performance.now() - started;
  if (child.status !== 0 && child.status !== 1) throw new Error(`${command} ${args.join(" ")} exited with ${child.status}: ${child.stderr.toString()}`);
  if (command !== process.execPath) return { wallMs, cpuMs: Number.NaN, maxRssKb: Number.NaN };
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { cpuMs: number; maxRssKb: number };
  return { wallMs, ...usage };
}

interface Comparison {
  skilldex: Run[];
  naive: Run[];
  /** The naive walk reading its files and parsing none. */
  readOnly: Run[];
  floor: Run[];
  report: Report;
}

function compare(root: string): Comparison {
  const work = mkdtempSync(join(tmpdir(), "skilldex-bench-run-"));
  try {
    const output = join(work, "report.json");
    const skilldex = (): Run => runProcess(process.execPath, ["--import", USAGE, CLI, "scan", root, "--format", "json", "--output", output], root, work);
    const naive = (): Run => runProcess(process.execPath, ["--import", USAGE, NAIVE, root], root, work);
    const readOnly = (): Run => runProcess(process.execPath, ["--import", USAGE, NAIVE, "--read-only", root], root, work);
    const floor = (): Run => runProcess("sh", ["-c", "tar -cf - . > /dev/null"], root, work);
    // One untimed round warms the page cache; then the tools take turns, so load hits them alike.
    skilldex();
    naive();
    readOnly();
    floor();
    const out: Omit<Comparison, "report"> = { skilldex: [], naive: [], readOnly: [], floor: [] };
    for (let i = 0; i < RUNS; i++) {
      out.skilldex.push(skilldex());
      out.naive.push(naive());
      out.readOnly.push(readOnly());
      out.floor.push(floor());
    }
    return { ...out, report: JSON.parse(readFileSync(output, "utf8")) as Report };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Node's own start and exit, measured as the tools are: what no tool run by Node can go below. */
function nodeAlone(work: string): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i <= RUNS; i++) runs.push(runProcess(process.execPath, ["--import", USAGE, "-e", "0"], work, work));
  return runs.slice(1);
}

const ms = (n: number): string => `${n.toFixed(0).padStart(5)} ms`;
const mb = (kb: number): string => `${(kb / 1024).toFixed(0).padStart(4)} MB`;

function printComparison(label: string, c: Comparison, node: Run[]): void {
  const wall = (runs: Run[]): number => median(runs.map((r) => r.wallMs));
  const cpu = (runs: Run[]): number => median(runs.map((r) => r.cpuMs));
  const rss = (runs: Run[]): number => Math.max(...runs.map((r) => r.maxRssKb));
  const t = c.report.timings;
  console.log(
    `${label.padEnd(8)} ${String(c.report.totals.discovered).padStart(6)} artifacts ${String(c.report.metrics.filesListed).padStart(6)} files ` +
      `| skilldex ${ms(wall(c.skilldex))} (cpu ${ms(cpu(c.skilldex))}, rss ${mb(rss(c.skilldex))}) ` +
      `| naive ${ms(wall(c.naive))} (cpu ${ms(cpu(c.naive))}, rss ${mb(rss(c.naive))}) ` +
      `| ratio ${(wall(c.skilldex) / wall(c.naive)).toFixed(2)} (cpu ${(cpu(c.skilldex) / cpu(c.naive)).toFixed(2)})` +
      ` | floor ${ms(wall(c.floor))}` +
      ` | reading alone ${ms(wall(c.readOnly))} (ratio ${(wall(c.readOnly) / wall(c.naive)).toFixed(2)})` +
      ` | skilldex cpu beyond node's own start ${ms(cpu(c.skilldex) - cpu(node))}` +
      ` | in the scan: listing ${t.listing.toFixed(0)} · discovery ${t.discovery.toFixed(0)} · reading+parsing ${t.readingAndParsing.toFixed(0)} · validation ${t.validation.toFixed(0)} · total ${t.total.toFixed(0)} ms`,
  );
}

/** The first line: what is measured, and Node's own start, which every process below pays. */
function startLine(): Run[] {
  const work = mkdtempSync(join(tmpdir(), "skilldex-bench-node-"));
  try {
    const node = nodeAlone(work);
    const cpu = median(node.map((r) => r.cpuMs));
    const wall = median(node.map((r) => r.wallMs));
    console.log(`skilldex against a naive walk-read-parse · node ${process.version} (alone: ${wall.toFixed(0)} ms, cpu ${cpu.toFixed(0)} ms) · medians of ${RUNS} alternating runs, each a process of its own`);
    return node;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const repoAt = process.argv.indexOf("--repo");
if (repoAt !== -1) {
  const root = process.argv[repoAt + 1];
  if (!root) throw new Error("usage: bench/scan --repo DIR");
  const node = startLine();
  printComparison("repo", compare(root), node);
} else {
  const node = startLine();
  for (const [label, artifacts] of [["small", 100], ["medium", 1_000], ["large", 10_000]] as const) {
    const root = mkdtempSync(join(tmpdir(), "skilldex-bench-"));
    try {
      generateRepository(root, artifacts);
      printComparison(label, compare(root), node);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  if (!process.argv.includes("--scan-only")) {
    const { printSourceBenchmarks } = await import("./sources.js");
    await printSourceBenchmarks();
  }
}
