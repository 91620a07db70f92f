/**
 * `npm run bench`: builds synthetic repositories and prints how fast the whole scan runs.
 * Figures, not assertions: compare ratios within one run, since machines are shared and noisy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scan } from "../src/pipeline/pipeline.js";
import type { Report } from "../src/model.js";
import { generateRepository } from "./generate.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(label: string, artifacts: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "skilldex-bench-"));
  try {
    const made = generateRepository(root, artifacts);
    const reports: Report[] = [];
    for (let i = 0; i < RUNS + 1; i++) reports.push(await scan({ root }));
    const [cold, ...warm] = reports as [Report, ...Report[]];
    const total = median(warm.map((r) => r.timings.total));
    const stage = (name: keyof Report["timings"]): string => `${median(warm.map((r) => r.timings[name] as number)).toFixed(1)}`;
    console.log(
      `${label.padEnd(8)} ${String(cold.totals.discovered).padStart(6)} artifacts ${String(made.files).padStart(6)} files ` +
        `| cold ${cold.timings.total.toFixed(0).padStart(5)} ms | warm ${total.toFixed(0).padStart(5)} ms | ${Math.round(cold.totals.discovered / (total / 1000)).toLocaleString("en-US").padStart(9)} artifacts/s ` +
        `| listing ${stage("listing")} · discovery ${stage("discovery")} · reading+parsing ${stage("readingAndParsing")} · validation ${stage("validation")} ms ` +
        `| ${cold.totals.failed} failed, ${cold.metrics.findings.warning} warnings (${made.broken} faults planted; under claude-code some only warn)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`skilldex scan benchmark · node ${process.version} · median of ${RUNS} warm runs after one cold run`);
await measure("small", 100);
await measure("medium", 1_000);
await measure("large", 10_000);

if (!process.argv.includes("--scan-only")) {
  const { printSourceBenchmarks } = await import("./sources.js");
  await printSourceBenchmarks();
}
