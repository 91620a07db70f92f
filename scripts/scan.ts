/**
 * `npm run scan [-- PATH] [options]`: the quick start. Without a folder it scans the example
 * marketplace shipped in examples/.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { REPORT_OPTIONS, SCAN_OPTIONS } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const args = process.argv.slice(2);
// Bad options are left for the command itself to report.
const { values, positionals } = parseArgs({ args, options: { ...SCAN_OPTIONS, ...REPORT_OPTIONS }, allowPositionals: true, strict: false });
const hasFolder = positionals.length > 0 || values.repo !== undefined;
const example = fileURLToPath(new URL("../../examples/marketplace", import.meta.url));
// The example fails one artifact on purpose: that is a demonstration, not an error of the run.
const defaults = hasFolder ? [] : [example, ...(args.includes("--fail-on") ? [] : ["--fail-on", "never"])];
process.exitCode = await runCli(["scan", ...defaults, ...args], {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.env.INIT_CWD ?? process.cwd(),
  env: process.env,
});
