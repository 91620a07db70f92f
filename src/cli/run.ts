import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { createLogger, parseLogLevel, silentLogger, type Logger } from "../telemetry/log.js";
import { Redactor } from "../telemetry/redact.js";
import { GitError } from "../git.js";
import { FAIL_ON, trips, type FailOn } from "../pipeline/fail-on.js";
import { PROFILES, type Profile } from "../model.js";
import { FORMATS, formatOfFile, RENDERERS, type Format } from "../report/index.js";
import { asksForHelp, checkCommandLine, countOption, npmSwallowedOptions, renderOptions, REPORT_OPTIONS, SCAN_OPTIONS } from "./args.js";
import { withCapabilities } from "../report/capabilities.js";
import { breakdownLine } from "../report/summary.js";
import { escapeControls } from "../parse/text.js";
import { SkipEditError, SkipFileError } from "../skips/index.js";
import { scanFromSource } from "../pipeline/from-source.js";
import { sourceLog, SourceOpenError } from "../source/open.js";
import { STRATEGIES, type Strategy } from "../source/select.js";
import { VERSION } from "../version.js";
import { applyBaselineAt } from "../baseline/baseline.js";
import { type CliIo, UsageError } from "./usage.js";

export type { CliIo };

export { SCAN_OPTIONS, UsageError };

const HELP = `skilldex ${VERSION}: index and validate agent skills, commands, subagents, hooks, MCP and LSP configs, every other plugin component, plugins and marketplaces

Usage:
  skilldex scan [path] [options]        index a folder and report each artifact's status
  skilldex skip KEY_OR_PATH [options]   add a skip preference to .github/skilldex.yml
  skilldex unskip KEY_OR_PATH [options] remove a skip preference
  skilldex allow KEY CAPABILITY [opts]  record an approval of one capability in .github/skilldex.yml
  skilldex baseline [path] [--prune]     record today's findings in .github/skilldex-baseline.json
  skilldex fix [path] [options]         apply the fixes rules offer (--dry-run, --suggested)

scan options:
  --format text|json|markdown|sarif   output format (default: the --output file's extension,
                                      .json, .sarif or .md; else text)
  --output FILE                       write the report to FILE instead of standard output
  --statistics                        print only the findings rolled up by rule (text, markdown)
  --quiet, -q                         report errors only, no warnings or notices (text, markdown)
  --max-warnings N                    exit 1 when there are more than N warnings
  --max-bytes N                       cut the Markdown report to N bytes, whole sections at a time
  --profile claude-code|agentskills   rule profile (default: the config's, else claude-code)
  --base REF                          git ref to compare with: added, updated or unchanged
  --config FILE                       settings file, relative to the current folder
                                      (default: the scanned folder's .github/skilldex.yml)
  --fail-on failed|warning|never      when to exit 1 (default: failed)
  --repo OWNER/NAME                   scan a GitHub repository without a checkout
  --ref REF                           its branch, tag or commit (default: the default branch)
  --source auto|workspace|clone|api   where files come from (default: auto)
  --external                          also fetch and index plugins a marketplace lists elsewhere
  --capabilities                      also print what each artifact lets agents do
  --clone-timeout SECONDS             give up a clone after this long (default: 300)
  --min-free-mb MB                    free disk a clone needs (default: 500)
  --repo-name NAME                    the name keys use for the root (default: the folder's)
  GITHUB_TOKEN, GITHUB_API_URL and GITHUB_SERVER_URL are read from the environment.

skip and unskip options:
  --path DIR      repository folder (default: the current folder)
  --config FILE   settings file (default: .github/skilldex.yml)
  --reason TEXT   why (skip only)
  --by NAME       who asks (skip and allow; default: git's user.name, else your email's login)
  --ref TEXT      where it was asked, such as "#42" (skip and allow)

Exit codes: 0 done, 1 --fail-on tripped or more warnings than --max-warnings, 2 bad usage
or an internal error.
Set SKILLDEX_LOG=debug|info|warn|error for JSON-line logs on standard error,
and SKILLDEX_DEBUG=1 to see stack traces.`;

/** Runs the `skilldex` command and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    // Each command but scan is loaded when it runs: a scan does not pay for the others' modules.
    switch (command) {
      case "scan":
        return await scanCommand(rest, io);
      case "skip":
      case "unskip":
      case "allow":
        if (asksForHelp(rest)) {
          io.stdout(`${HELP}\n`);
          return 0;
        }
        return await (await import("./skip.js")).skipCommand(command, rest, io);
      case "baseline":
        return await (await import("./baseline.js")).baselineCommand(rest, io);
      case "fix":
        return await (await import("./fix.js")).fixCommand(rest, io);
      case undefined:
        // Called with nothing to do: a usage error, so the help goes where errors go.
        io.stderr(`${HELP}\n`);
        return 2;
      case "help":
      case "--help":
      case "-h":
        io.stdout(`${HELP}\n`);
        return 0;
      case "--version":
      case "-v":
        io.stdout(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; try \`skilldex scan\` or \`skilldex --help\``);
    }
  } catch (error) {
    // Messages quote names and paths from the repository: one line, nothing a terminal would act on.
    io.stderr(`skilldex: error: ${escapeControls(describeError(error))}\n`);
    if (io.env.SKILLDEX_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  }
}

function describeError(error: unknown): string {
  if (error instanceof UsageError || error instanceof GitError || error instanceof SkipFileError || error instanceof SkipEditError) return error.message;
  if (error instanceof Error) {
    // parseArgs errors are usage errors with a code; everything else is unexpected.
    if ((error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) return `${error.message}; see \`skilldex --help\``;
    return error.message.split("\n")[0] ?? "unexpected error";
  }
  return String(error);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
  return value as T;
}

async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const options = { ...SCAN_OPTIONS, ...REPORT_OPTIONS };
  checkCommandLine("scan", args, options);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const swallowed = npmSwallowedOptions(io.env, Object.keys(options), positionals, io.cwd, FORMATS);
  if (swallowed) throw new UsageError(swallowed);
  if (positionals.length > 1) throw new UsageError(`scan takes one folder, not ${positionals.length}: ${positionals.join(" ")}`);
  const format: Format = oneOf("format", values.format, FORMATS) ?? (values.output ? formatOfFile(values.output) : null) ?? "text";
  const render = renderOptions(values, format, io.env, io.isTTY === true);
  const maxWarnings = values["max-warnings"] === undefined ? null : countOption("max-warnings", values["max-warnings"]);
  const profile: Profile | undefined = oneOf("profile", values.profile, PROFILES);
  const failOn: FailOn = oneOf("fail-on", values["fail-on"], FAIL_ON) ?? "failed";
  const strategy: Strategy = oneOf("source", values.source, STRATEGIES) ?? "auto";
  const repo = values.repo ?? null;
  if (repo !== null && !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo must be owner/name, not ${JSON.stringify(repo)}`);
  if (values.ref && repo === null) throw new UsageError("--ref goes with --repo");
  if (values.ref && positionals[0] !== undefined && (strategy === "auto" || strategy === "workspace")) {
    throw new UsageError("--ref picks what to fetch, but a folder is scanned as it is on disk: drop the folder, or add --source clone or --source api");
  }
  // With --repo and no folder, the files are fetched; a folder given is scanned where it is.
  const folder = positionals[0] ?? (repo === null ? "." : null);
  const root = folder === null ? null : resolve(io.cwd, folder);
  if (root !== null && (strategy === "auto" || strategy === "workspace")) assertFolder(root);
  const logger = cliLogger(io);
  const remote = {
    token: io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN ?? null,
    apiUrl: io.env.GITHUB_API_URL ?? null,
    serverUrl: io.env.GITHUB_SERVER_URL ?? null,
    env: io.env,
    log: sourceLog(logger),
    ...(values["clone-timeout"] ? { timeoutMs: positiveNumber("clone-timeout", values["clone-timeout"]) * 1000 } : {}),
    ...(values["min-free-mb"] ? { minFreeBytes: positiveNumber("min-free-mb", values["min-free-mb"]) * 1024 * 1024 } : {}),
  };
  const { report, selected } = await scanFromSource({
    select: { ...remote, strategy, root, repo, ref: values.ref ?? null },
    external: values.external === true,
    fallbackRoot: io.cwd,
    logger,
    profile: profile ?? null,
    base: values.base ?? null,
    configPath: values.config ? resolve(io.cwd, values.config) : null,
    ...(values["repo-name"] ? { repoName: values["repo-name"] } : repo ? { repoName: repo.split("/")[1] as string } : {}),
  }).catch((error: unknown) => {
    throw error instanceof SourceOpenError ? new UsageError(error.message) : error;
  });
  // A fetched repository has no folder to name: the report names the repository and the commit read.
  const fetched = selected.source as { commit?: string; ref?: string };
  if (folder === null && repo !== null) report.root = `${repo}@${fetched.commit ?? fetched.ref ?? values.ref ?? "HEAD"}`;
  applyBaselineAt(report);
  const rendered = withCapabilities((await RENDERERS[format]())(report, render), report, format, values.capabilities === true);
  if (values.output) {
    const out = resolve(io.cwd, values.output);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, rendered);
    io.stdout(`${breakdownLine(report, true)} · report written to ${values.output}\n`);
  } else {
    io.stdout(rendered);
  }
  if (!trips(report, failOn)) {
    const warnings = report.metrics.findings.warning;
    if (maxWarnings === null || warnings <= maxWarnings) return 0;
    io.stderr(`skilldex: ${warnings} warnings, more than --max-warnings ${maxWarnings} allows\n`);
    return 1;
  }
  // Say why the run fails when the breakdown alone does not show it.
  if (report.totals.failed === 0) io.stderr(`skilldex: failing because of warnings (--fail-on warning)\n`);
  return 1;
}

function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, not ${JSON.stringify(value)}`);
  return n;
}

function assertFolder(root: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`${root} does not exist`);
  }
  if (!isFolder) throw new UsageError(`${root} is not a folder`);
}

/** JSON-line logs on standard error when SKILLDEX_LOG names a level; silent otherwise. */
function cliLogger(io: CliIo): Logger {
  if (!io.env.SKILLDEX_LOG) return silentLogger;
  if (parseLogLevel(io.env.SKILLDEX_LOG, "error") !== parseLogLevel(io.env.SKILLDEX_LOG, "debug")) {
    io.stderr(`skilldex: SKILLDEX_LOG=${io.env.SKILLDEX_LOG} is not a level (debug, info, warn, error); logging at info\n`);
  }
  return createLogger({ traceId: io.env.SKILLDEX_TRACE_ID ?? randomUUID(), write: io.stderr, level: parseLogLevel(io.env.SKILLDEX_LOG), redactor: new Redactor(io.env) });
}
