import { lstatSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { userInfo } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { createLogger, parseLogLevel, silentLogger, type Logger } from "../telemetry/log.js";
import { Redactor } from "../telemetry/redact.js";
import { readSettingsText } from "../config.js";
import { GitError } from "../git.js";
import { FAIL_ON, trips, type FailOn } from "../pipeline/fail-on.js";
import { collectArtifacts } from "../pipeline/artifacts.js";
import { ManifestReader } from "../pipeline/read.js";
import { sortResults } from "../pipeline/report.js";
import { PROFILES, type Profile } from "../model.js";
import { FORMATS, RENDERERS, type Format } from "../report/index.js";
import { breakdownLine } from "../report/summary.js";
import { escapeControls } from "../parse/text.js";
import { editSkips, parseSkipFile, SKIP_FILE_PATH, SkipEditError, SkipFileError, skipTimestamp, type SkipEdit } from "../skips/index.js";
import { KEY_SYNTAX, resolveTargets } from "../skips/resolve.js";
import { isWithinFolder, WorkspaceSource } from "../source/workspace.js";
import { scanFromSource, sourceLog, SourceOpenError } from "../source/open.js";
import { STRATEGIES, type Strategy } from "../source/select.js";
import { VERSION } from "../version.js";
import { baselineCommand } from "./baseline.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A mistake in how the command was called: exit code 2, with a one-line message. */
export class UsageError extends Error {}

const HELP = `skilldex ${VERSION}: index and validate agent skills, commands, subagents, hooks, MCP and LSP configs, every other plugin component, plugins and marketplaces

Usage:
  skilldex scan [path] [options]        index a folder and report each artifact's status
  skilldex skip KEY_OR_PATH [options]   add a skip preference to .github/skilldex.yml
  skilldex unskip KEY_OR_PATH [options] remove a skip preference

scan options:
  --format text|json|markdown|sarif   output format (default: text)
  --output FILE                       write the report to FILE instead of standard output
  --profile claude-code|agentskills   rule profile (default: the config's, else claude-code)
  --base REF                          git ref to compare with: added, updated or unchanged
  --config FILE                       settings file, relative to the current folder
                                      (default: the scanned folder's .github/skilldex.yml)
  --fail-on failed|warning|never      when to exit 1 (default: failed)
  --repo OWNER/NAME                   scan a GitHub repository without a checkout
  --ref REF                           its branch, tag or commit (default: the default branch)
  --source auto|workspace|clone|api   where files come from (default: auto)
  --external                          also fetch and index plugins a marketplace lists elsewhere
  --clone-timeout SECONDS             give up a clone after this long (default: 300)
  --min-free-mb MB                    free disk a clone needs (default: 500)
  --repo-name NAME                    the name keys use for the root (default: the folder's)
  GITHUB_TOKEN, GITHUB_API_URL and GITHUB_SERVER_URL are read from the environment.

skip and unskip options:
  --path DIR      repository folder (default: the current folder)
  --config FILE   settings file (default: .github/skilldex.yml)
  --reason TEXT   why (skip only)
  --by NAME       who asks (skip only; default: your user name)
  --ref TEXT      where it was asked, such as "#42" (skip only)

Exit codes: 0 done, 1 --fail-on tripped, 2 bad usage or an internal error.
Set SKILLDEX_LOG=debug|info|warn|error for JSON-line logs on standard error,
and SKILLDEX_DEBUG=1 to see stack traces.`;

/** The options of `skilldex scan`, shared with the quick-start script. */
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
  "clone-timeout": { type: "string" },
  "min-free-mb": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs the `skilldex` command and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case "scan":
        return await scanCommand(rest, io);
      case "skip":
      case "unskip":
        return await skipCommand(command, rest, io);
      case "baseline":
        return await baselineCommand(rest, io);
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
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: SCAN_OPTIONS,
  });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`scan takes one folder, not ${positionals.length}: ${positionals.join(" ")}`);
  const format: Format = oneOf("format", values.format, FORMATS) ?? "text";
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
  const { report } = await scanFromSource({
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
  const rendered = RENDERERS[format](report);
  if (values.output) {
    const out = resolve(io.cwd, values.output);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, rendered);
    io.stdout(`${breakdownLine(report, true)} · report written to ${values.output}\n`);
  } else {
    io.stdout(rendered);
  }
  if (!trips(report, failOn)) return 0;
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

async function skipCommand(command: "skip" | "unskip", args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      path: { type: "string" },
      config: { type: "string" },
      reason: { type: "string" },
      by: { type: "string" },
      ref: { type: "string" },
    },
  });
  const wanted = positionals.join(" ").trim();
  if (!wanted) throw new UsageError(`${command} needs an artifact key or path, such as \`skilldex ${command} skill:legacy-pdf\``);
  if (command === "unskip" && (values.reason || values.by || values.ref)) throw new UsageError("unskip takes no --reason, --by or --ref");
  const root = resolve(io.cwd, values.path ?? ".");
  assertFolder(root);
  const configFile = values.config ? (isAbsolute(values.config) ? values.config : resolve(io.cwd, values.config)) : join(root, SKIP_FILE_PATH);
  // Where the file really is, refused before anything is read when a link leads out of the repository.
  const target = skipFileTarget(root, configFile, values.config !== undefined);
  const existing = readSkipFileText(target, shownPath(root, configFile));
  const current = existing === null ? parseSkipFile("") : parseSkipFile(existing, shownPath(root, configFile));

  let keys: string[];
  if (command === "unskip" && current.skip.some((e) => e.key === wanted)) {
    // A skipped key stays removable after its artifact is gone.
    keys = [wanted];
  } else {
    // The artifacts stage alone: keys come from the listing and the manifests, nothing is validated.
    const { artifacts } = await collectArtifacts({ reader: new ManifestReader(new WorkspaceSource(root)), repoName: basename(root) || "root", fetched: [] });
    sortResults(artifacts);
    const resolution = resolveTargets(wanted, artifacts);
    if (resolution.keys.length === 0) {
      if (resolution.ambiguous) throw new UsageError(`${quoted(wanted)} names more than one artifact: give the key, ${resolution.suggestions.map(escapeControls).join(" or ")}`);
      const hint = resolution.suggestions.length ? `; did you mean ${resolution.suggestions.map(escapeControls).join(", ")}?` : "";
      throw new UsageError(`no artifact matches ${quoted(wanted)}${hint}`);
    }
    keys = resolution.keys;
    // A name with a line break or another control character cannot be written as a key the file reads back.
    const chosen = new Set(keys);
    const unwritable = artifacts.filter((a) => chosen.has(a.key) && !KEY_SYNTAX.test(a.key));
    if (unwritable.length > 0) {
      const more = unwritable.length > 1 ? ` (and ${unwritable.length - 1} more)` : "";
      throw new UsageError(`${quoted((unwritable[0] as { path: string }).path)}${more} has a name with a control character (such as a line break) that the skip file cannot hold; rename it, then ${command} again`);
    }
  }

  const at = skipTimestamp(new Date());
  const by = values.by ?? safeUserName();
  const edits: SkipEdit[] = keys.map((key) => (command === "skip" ? { verb: "skip", entry: { key, reason: values.reason ?? null, by, at, ref: values.ref ?? null } } : { verb: "unskip", key }));
  const result = editSkips(existing, edits);
  if (result.changed) writeAtomically(target, result.text);
  const verb = command === "skip" ? "skipped" : "unskipped";
  for (const [i, key] of keys.entries()) if (result.applied[i]) io.stdout(`${verb} ${key}\n`);
  for (const [i, key] of keys.entries()) if (!result.applied[i]) io.stdout(`${key} was already ${command === "skip" ? "skipped" : "not skipped"}\n`);
  return 0;
}

/** A path as a message shows it: quoted, with any control character escaped. */
function quoted(text: string): string {
  return `"${escapeControls(text)}"`;
}

function shownPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/**
 * The real path the skip file is read from and written to. A link (the file, or `.github`)
 * that leads out of the repository is refused: a pull request can add one, and writing
 * through it would create or change a file anywhere. A file named with --config outside the
 * repository is the user's choice and is written where it is.
 */
function skipFileTarget(root: string, file: string, explicit: boolean): string {
  const rootReal = realpathSync.native(root);
  const shown = shownPath(root, file);
  let real: string;
  const stats = lstatOrNull(file);
  try {
    real = realpathSync.native(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new UsageError(`${shown} cannot be read (${code ?? String(error)})`);
    if (stats?.isSymbolicLink()) throw new UsageError(`${shown} is a symlink to a file that does not exist; skilldex does not write through it`);
    real = join(realExistingFolder(dirname(file)), basename(file));
  }
  const namedOutside = explicit && !isWithinFolder(resolve(file), resolve(root)) && !isWithinFolder(resolve(file), rootReal);
  if (!isWithinFolder(real, rootReal) && !namedOutside) throw new UsageError(`${shown} leads through a symlink to a place outside the repository; skilldex does not write through it`);
  return real;
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's, plus the rest. */
function realExistingFolder(folder: string): string {
  const missing: string[] = [];
  for (let at = folder; ; at = dirname(at)) {
    try {
      return join(realpathSync.native(at), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(at) === at) throw error;
      // A dangling link would be created through, as a file link would: refuse it the same way.
      if (lstatOrNull(at)?.isSymbolicLink()) throw new UsageError(`${at} is a symlink to a folder that does not exist; skilldex does not write through it`);
      missing.push(basename(at));
    }
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The skip file's text, read with the cap every settings file has; null when it does not exist. */
function readSkipFileText(real: string, shown: string): string | null {
  try {
    return readSettingsText(real, shown);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Replaces the file in one step: the text goes to a new file beside it, which is then renamed
 * over it, so a reader never sees half a file and a failed write leaves the old one.
 */
function writeAtomically(real: string, text: string): void {
  const folder = dirname(real);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(real)}.${randomUUID()}.tmp`);
  let mode = 0o666;
  try {
    mode = statSync(real).mode & 0o777;
  } catch {
    // A new file gets the default permissions.
  }
  try {
    writeFileSync(temp, text, { flag: "wx", mode });
    renameSync(temp, real);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function safeUserName(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

/** JSON-line logs on standard error when SKILLDEX_LOG names a level; silent otherwise. */
function cliLogger(io: CliIo): Logger {
  if (!io.env.SKILLDEX_LOG) return silentLogger;
  if (parseLogLevel(io.env.SKILLDEX_LOG, "error") !== parseLogLevel(io.env.SKILLDEX_LOG, "debug")) {
    io.stderr(`skilldex: SKILLDEX_LOG=${io.env.SKILLDEX_LOG} is not a level (debug, info, warn, error); logging at info\n`);
  }
  return createLogger({ traceId: io.env.SKILLDEX_TRACE_ID ?? randomUUID(), write: io.stderr, level: parseLogLevel(io.env.SKILLDEX_LOG), redactor: new Redactor(io.env) });
}
