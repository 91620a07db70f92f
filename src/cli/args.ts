import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Format, RenderOptions } from "../report/index.js";

import { UsageError } from "./usage.js";

export { UsageError };


/** The options of `skilldex scan` that say where files come from and how they are judged, shared with the quick-start script. */
export const SCAN_OPTIONS = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  profile: { type: "string" },
  base: { type: "string" },
  config: { type: "string" },
  "fail-on": { type: "string" },
  "repo-name": { type: "string" },
  repo: { type: "string" },
  ref: { type: "string" },
  source: { type: "string" },
  external: { type: "boolean" },
  capabilities: { type: "boolean" },
  "clone-timeout": { type: "string" },
  "min-free-mb": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The options of `skilldex scan` that shape the report. */
export const REPORT_OPTIONS = {
  quiet: { type: "boolean", short: "q" },
  "max-warnings": { type: "string" },
  statistics: { type: "boolean" },
  "max-bytes": { type: "string" },
} as const;

/**
 * Checks a command line before Node's parser reads it strictly: an unknown option, a missing value
 * or a value given to a flag is a UsageError in skilldex's words, with the nearest option
 * suggested, rather than the parser's own text.
 */
export function checkCommandLine(command: string, args: string[], options: NonNullable<ParseArgsConfig["options"]>): void {
  const { tokens = [] } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const known = Object.entries(options);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (!spec) {
      const near = nearest(token.name, known.map(([name]) => name));
      throw new UsageError(`unknown option ${token.rawName}: ${near ? `did you mean --${near}?` : `see \`skilldex ${command} --help\``}`);
    }
    const shown = `--${token.name}`;
    if (spec.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-") && token.value !== "-"))) {
      // Node's parser would take the next option as the value, or stop at the end of the line.
      throw new UsageError(`${shown} needs a value${token.value ? ` (${JSON.stringify(token.value)} looks like an option; write ${shown}=${token.value} if it is the value)` : ""}`);
    }
    if (spec.type === "boolean" && token.value !== undefined) throw new UsageError(`${shown} takes no value, not ${JSON.stringify(token.value)}`);
  }
}

/** The known name closest to a mistyped one (`fromat` → `format`), if one is close enough to be meant. */
export function nearest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = candidate.startsWith(name) && name.length >= 3 ? 0.5 : distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

/** Optimal string alignment distance: a swap of two neighbours (`fromat`) counts as one edit. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}

/**
 * What npm kept for itself when `npm run scan --format json` was typed without `--`: npm takes
 * the options as its own config (left in the environment as `npm_config_<name>`, or for
 * `--format` as npm's own `--format-package-lock`) and passes only their values on, which then
 * arrive as folders. Null when the command was not run that way.
 */
export function npmSwallowedOptions(env: NodeJS.ProcessEnv, names: readonly string[], given: readonly string[], cwd: string, formats: readonly string[]): string | null {
  if (!env.npm_lifecycle_event) return null;
  // A folder that exists is a folder to scan, whatever its name.
  const positionals = given.filter((p) => !isFolder(resolve(cwd, p)));
  const taken = names.filter((name) => name !== "help" && env[`npm_config_${name.replace(/-/g, "_")}`] !== undefined).map((name) => `--${name}`);
  if (!taken.includes("--format") && positionals.some((p) => formats.includes(p))) taken.unshift("--format");
  if (taken.length === 0) return null;
  const values = positionals.length > 0 ? ` and passed on only ${positionals.length === 1 ? "the value" : "the values"} ${positionals.map((p) => JSON.stringify(p)).join(" ")}` : "";
  const example = positionals.length > 0 ? `${taken[0]} ${positionals[0]}` : taken.join(" ");
  return `npm took ${taken.join(", ")} as its own option${taken.length === 1 ? "" : "s"}${values}: options for skilldex go after \`--\`, as in \`npm run ${env.npm_lifecycle_event} -- ${example}\``;
}

/**
 * Whether to colour the terminal report: FORCE_COLOR decides when set (`0` or `false` for no),
 * else a non-empty NO_COLOR turns colour off, else a terminal that is not `dumb` gets it.
 */
export function colourWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== "dumb";
}

/** What the scan's options ask of the renderer, refused where the format has no use for them. */
export function renderOptions(values: { quiet?: boolean | undefined; statistics?: boolean | undefined; "max-bytes"?: string | undefined; output?: string | undefined }, format: Format, env: NodeJS.ProcessEnv, isTTY: boolean): RenderOptions {
  const options: RenderOptions = { quiet: values.quiet === true, statistics: values.statistics === true, color: format === "text" && !values.output && colourWanted(env, isTTY) };
  for (const flag of ["quiet", "statistics"] as const) {
    if (options[flag] && format !== "text" && format !== "markdown") throw new UsageError(`--${flag} goes with --format text or markdown; the ${format} report keeps every finding`);
  }
  if (values["max-bytes"] !== undefined) {
    if (format !== "markdown") throw new UsageError("--max-bytes goes with --format markdown");
    options.maxBytes = countOption("max-bytes", values["max-bytes"]);
  }
  return options;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether the arguments of a command ask for help rather than for the command itself. */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** A whole number of at least zero, or a UsageError naming the option. */
export function countOption(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}
