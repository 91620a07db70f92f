/**
 * Preloaded into each process `npm run bench` measures (`node --import lib/bench/usage.js ...`):
 * at exit it writes the process's own CPU time and peak RSS as JSON to the file named by
 * SKILLDEX_BENCH_USAGE, so a run is measured from its first line of start-up to its last.
 */
import { writeFileSync } from "node:fs";

const target = process.env.SKILLDEX_BENCH_USAGE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS }));
  });
}
