/**
 * Time per rule, summed over a scan, when `SKILLDEX_PROFILE_RULES=1`: printed to stderr at exit,
 * slowest first, so the rules worth making cheaper are named by measurement rather than guessed.
 */
export interface RuleTimings {
  add(rule: string, ms: number): void;
}

let timings: RuleTimings | null | undefined;

/** The process's rule timings, or null when profiling is off (the usual case, at no cost). */
export function ruleTimings(): RuleTimings | null {
  if (timings !== undefined) return timings;
  if (process.env.SKILLDEX_PROFILE_RULES !== "1") return (timings = null);
  const total = new Map<string, { ms: number; calls: number }>();
  process.on("exit", () => {
    const rows = [...total].sort((a, b) => b[1].ms - a[1].ms);
    const sum = rows.reduce((n, [, t]) => n + t.ms, 0);
    process.stderr.write(`rules: ${sum.toFixed(1)} ms in ${rows.length} rules\n`);
    for (const [rule, t] of rows.slice(0, 20)) process.stderr.write(`${t.ms.toFixed(1).padStart(9)} ms ${String(t.calls).padStart(7)} calls  ${rule}\n`);
  });
  return (timings = {
    add(rule, ms) {
      const row = total.get(rule);
      if (row) {
        row.ms += ms;
        row.calls++;
      } else total.set(rule, { ms, calls: 1 });
    },
  });
}
