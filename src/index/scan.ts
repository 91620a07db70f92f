import { basename, resolve } from "node:path";
import picomatch from "picomatch";
import { loadConfig } from "../config.js";
import { type DiscoveryHints, hintsFrom, hintsFromHooksFile, hooksFilesToRead, isMarketplaceManifest, isPluginManifest } from "../discover/hints.js";
import { discover } from "../discover/index.js";
import { dirname, hasFilesUnder, isExternalPath } from "../discover/paths.js";
import { compareWithBase, resolveCommit } from "../git.js";
import {
  ARTIFACT_TYPES,
  emptyCounts,
  REPORT_SCHEMA,
  type Artifact,
  type ArtifactResult,
  type ArtifactType,
  type Change,
  type FailReasonCode,
  type Finding,
  type Profile,
  type Reason,
  type Report,
  type Severity,
} from "../model.js";
import { parseJson, type ParsedJson } from "../parse/json.js";
import { parseMarkdown } from "../parse/markdown.js";
import { parseScript } from "../parse/script.js";
import { decodeText } from "../parse/text.js";
import { isObject } from "../manifest/json.js";
import { looksLikeServers } from "../manifest/mcp.js";
import { marketplaceExternalSource } from "../rules/marketplace/external-source.js";
import { RULES } from "../rules/registry.js";
import { runRules } from "../rules/run.js";
import type { FileIndex, Load, Rule, ScanScope } from "../rules/types.js";
import { parseSkipFile, SKIP_FILE_PATH, type SkilldexConfig, type SkipEntry } from "../skips/index.js";
import { externalPluginDir, fetchExternalPlugins, MountedSource, type ExternalPluginsOptions, type Mount } from "../source/external.js";
import type { FileSource, SourceComparison } from "../source/types.js";
import type { Span as Span_ } from "../parse/position.js";
import { WorkspaceSource } from "../source/workspace.js";
import { silentLogger, type Logger } from "../telemetry/log.js";
import { startChildSpan, withSpan } from "../telemetry/trace.js";
import { VERSION } from "../version.js";
import type { Span } from "@opentelemetry/api";

/** The cap on any file parsed as a manifest or for frontmatter. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface ScanOptions {
  /** The folder to index (a git work tree when `base` is given). */
  root: string;
  /** Where files come from; the workspace at `root` by default. */
  source?: FileSource;
  /** Overrides the profile of the config file; `claude-code` when neither says. */
  profile?: Profile | null;
  /** A git ref to compare with; each successful artifact then says added, updated or unchanged. */
  base?: string | null;
  /** Settings already read; otherwise read from `configPath` (default `.github/skilldex.yml`). */
  config?: SkilldexConfig;
  configPath?: string | null;
  /** False turns skip preferences off whatever the config says (the Action's input, the App's flag). */
  skipPreferences?: boolean;
  /** Names the root in keys (`marketplace:<name>`); the folder's name by default. */
  repoName?: string;
  rules?: readonly Rule[];
  /** Structured logs of the run; silent by default. */
  logger?: Logger;
  /** Fetch and index the plugins each marketplace lists from other repositories. */
  external?: ExternalPluginsOptions;
}

interface Candidate {
  artifact: Artifact;
  load: Load;
}

/** Runs the whole pipeline: source, discover, classify, validate, compare, report. */
export async function scan(options: ScanOptions): Promise<Report> {
  // External plugins are fetched by the scan, so the scan removes them, whatever happens.
  const fetched: Mount[] = [];
  try {
    return await withSpan("skilldex.scan", { "skilldex.root": resolve(options.root) }, (span) => scanInSpan(options, span, fetched));
  } finally {
    await Promise.all(fetched.map((mount) => mount.source.dispose?.()));
  }
}

async function scanInSpan(options: ScanOptions, span: Span, fetched: Mount[]): Promise<Report> {
  const started = performance.now();
  const log = options.logger ?? silentLogger;
  const root = resolve(options.root);
  let source: FileSource = options.source ?? new WorkspaceSource(root);
  const config = options.config ?? (await readConfig(root, source, options.configPath));
  const profile: Profile = options.profile ?? config.profile ?? "claude-code";
  const skipPreferences = options.skipPreferences !== false && config.skipPreferences;
  const rules = options.rules ?? RULES;
  const timings = { listing: 0, discovery: 0, readingAndParsing: 0, validation: 0, changeDetection: 0, total: 0 };
  const stats = { filesRead: 0, bytesRead: 0 };
  const warnings: string[] = [];

  if (options.base && !source.compareWithBase && source.strategy !== "workspace") {
    throw new Error(`cannot compare with ${options.base}: files read through the ${source.strategy} source have no history to compare; use a checkout or the clone source`);
  }
  // Fail fast on a bad base, before any work; a fetched source compares by itself.
  const baseSha = options.base && !source.compareWithBase ? await resolveCommit(root, options.base) : null;

  log.info("scan started", { root, profile, strategy: source.strategy, base: options.base ?? null });
  let stage = startChildSpan(span, "skilldex.source", { "skilldex.strategy": source.strategy });
  let mark = performance.now();
  let listing = await source.listFiles();
  let files = listing.files;
  warnings.push(...listing.warnings);
  timings.listing = performance.now() - mark;
  stage.setAttribute("skilldex.files", files.length);
  stage.end();
  stage = startChildSpan(span, "skilldex.discovery");

  const loads = new Map<string, Load>();
  const load = async (path: string): Promise<Load> => {
    let result = loads.get(path);
    if (!result) {
      result = await readAndParse(source, path, stats);
      loads.set(path, result);
    }
    return result;
  };

  // Marketplaces are read before discovery: the plugin folders they list are plugins too.
  mark = performance.now();
  const hints: DiscoveryHints = { listedPluginDirs: [], namedComponents: [], replacedDefaults: [], inlineComponents: [] };
  const externalFailures: ArtifactResult[] = [];
  const mounts: Mount[] = [];
  let parseTime = 0;
  const manifestValue = async (file: string): Promise<ParsedJson | null> => {
    const t = performance.now();
    const loaded = await load(file);
    parseTime += performance.now() - t;
    return loaded.kind === "text" && loaded.parsed?.format === "json" ? loaded.parsed : null;
  };
  for (const file of files) {
    if (!isMarketplaceManifest(file)) continue;
    const json = await manifestValue(file);
    if (json && isObject(json.value)) {
      const marketplaceRoot = dirname(dirname(file));
      hintsFrom(file, json.value, hints);
      if (options.external) {
        for (const plugin of await fetchExternalPlugins(json.value, options.external)) {
          const dir = externalPluginDir(marketplaceRoot, plugin.name);
          if (plugin.ok) {
            mounts.push({ dir, source: plugin.source });
            fetched.push({ dir, source: plugin.source });
            hints.listedPluginDirs.push(dir);
          } else {
            externalFailures.push(externalFailure(plugin.name, dir, file, plugin.reason, json.locate(["plugins", plugin.index, "source"])));
          }
        }
      }
    }
  }
  if (mounts.length > 0) {
    // External plugins appear under their marketplace, in one tree with the repository's files.
    source = new MountedSource(source, mounts);
    listing = await source.listFiles();
    files = listing.files;
    warnings.push(...listing.warnings.filter((w) => !warnings.includes(w)));
  }
  // Plugin manifests too: the components they name at other paths are artifacts.
  for (const file of files) {
    if (!isPluginManifest(file)) continue;
    const json = await manifestValue(file);
    if (json) hintsFrom(file, json.value, hints);
  }
  for (const file of hooksFilesToRead(files, hints)) {
    const json = await manifestValue(file);
    if (json) hintsFromHooksFile(file, json.value, hints);
  }
  const repoName = options.repoName ?? (basename(root) || "root");
  const discovered = discover(files, { repoName, ...hints });
  timings.discovery = performance.now() - mark - parseTime;
  timings.readingAndParsing = parseTime;

  // Files that are artifacts only if their contents say so are read now, to know.
  mark = performance.now();
  const artifacts: Artifact[] = [];
  for (const artifact of discovered) {
    if (artifact.tentative && artifact.manifest && !(await isArtifactAfterAll(artifact, await load(artifact.manifest)))) continue;
    artifacts.push(artifact);
  }
  timings.readingAndParsing += performance.now() - mark;
  stage.setAttribute("skilldex.artifacts", artifacts.length);
  stage.end();

  const skipByKey = new Map<string, SkipEntry>();
  if (skipPreferences) for (const entry of config.skip) if (!skipByKey.has(entry.key)) skipByKey.set(entry.key, entry);
  const excluders = config.exclude.map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true }) }));
  /** A maintainer's word comes first: an excluded or skipped artifact is not judged. */
  const preference = (key: string, paths: string[]): Reason | null => {
    const pattern = excluders.find((e) => paths.some((p) => e.test(p)))?.pattern;
    if (pattern !== undefined) return { code: "excluded", message: `Excluded by the pattern ${JSON.stringify(pattern)} in the skilldex config.`, pattern };
    const entry = skipByKey.get(key);
    if (entry) return { code: "in_skip_list", message: describeSkip(entry), by: entry.by, at: entry.at, ref: entry.ref };
    return null;
  };
  // An external plugin that could not be fetched can be skipped like any artifact.
  for (const failure of externalFailures) {
    const reason = preference(failure.key, [failure.path]);
    if (reason) {
      skip(failure, reason);
      failure.findings = [];
    }
  }
  const results: ArtifactResult[] = [...externalFailures];
  const toValidate: { artifact: Artifact; result: ArtifactResult }[] = [];
  for (const artifact of artifacts) {
    const result: ArtifactResult = {
      key: artifact.key,
      type: artifact.type,
      name: artifact.name,
      path: artifact.path,
      files: artifact.files,
      status: "success",
      change: null,
      reason: null,
      findings: [],
    };
    results.push(result);
    const reason = preference(artifact.key, pathAndParents(artifact));
    if (reason) {
      skip(result, reason);
      continue;
    }
    toValidate.push({ artifact, result });
  }
  for (const entry of skipByKey.values()) {
    if (!results.some((r) => r.key === entry.key)) warnings.push(`The skip entry ${entry.key} matches no artifact; remove it with \`skilldex unskip ${entry.key}\`.`);
  }

  stage = startChildSpan(span, "skilldex.validation", { "skilldex.artifacts": toValidate.length });
  mark = performance.now();
  const candidates: Candidate[] = [];
  for (const { artifact } of toValidate) {
    candidates.push({ artifact, load: artifact.manifest ? await load(artifact.manifest) : { kind: "none" } });
  }
  timings.readingAndParsing += performance.now() - mark;

  mark = performance.now();
  // Rules across artifacts (a subagent's skills, dependency cycles) see the whole scan.
  const judged = new Map<Artifact, ArtifactResult>();
  const scope: ScanScope = {
    artifacts,
    parsed: (path) => {
      const loaded = loads.get(path);
      return loaded?.kind === "text" ? loaded.parsed : null;
    },
    verdict: (artifact) => judged.get(artifact) ?? null,
  };
  const fileIndex: FileIndex = { has: (path) => fileSet.has(path), hasFolder: (dir) => hasFilesUnder(files, dir) };
  const fileSet = new Set(files);
  // Marketplaces last: Claude Code judges one by the plugins it lists, whose verdicts come first.
  const order = toValidate.map((_, i) => i).sort((a, b) => Number(toValidate[a]?.artifact.type === "marketplace") - Number(toValidate[b]?.artifact.type === "marketplace"));
  for (const i of order) {
    const { artifact, result } = toValidate[i] as { artifact: Artifact; result: ArtifactResult };
    const { findings, reasons } = runRules(candidates[i] as Candidate, profile, rules, fileIndex, scope);
    result.findings = findings;
    const firstError = findings.findIndex((f) => f.severity === "error");
    if (firstError !== -1) {
      const errors = findings.filter((f) => f.severity === "error").length;
      const message = (findings[firstError] as Finding).message;
      result.status = "failed";
      result.reason = {
        code: reasons[firstError] as FailReasonCode,
        message: errors > 1 ? `${message} (and ${errors - 1} more error${errors > 2 ? "s" : ""})` : message,
      };
    }
    judged.set(artifact, result);
  }
  // Every copy is validated; of the copies of one key, the one Claude Code would load keeps it,
  // and a valid other copy is a duplicate (an invalid one stays failed: its error is real).
  const holders = keyHolders(toValidate.map(({ artifact }) => artifact), hints.listedPluginDirs);
  for (const { artifact, result } of toValidate) {
    const holder = holders.get(artifact.key);
    if (holder === undefined || holder === artifact || result.status === "failed") continue;
    skip(result, {
      code: "duplicate",
      message: `The key ${artifact.key} is held by the copy at ${holder.path || "."}; this valid copy at ${artifact.path || "."} is not indexed.`,
      duplicateOf: holder.path,
    });
    result.findings = [];
  }
  timings.validation = performance.now() - mark;
  stage.end();

  if (options.base && (baseSha || source.compareWithBase)) {
    stage = startChildSpan(span, "skilldex.changes", { "skilldex.base": baseSha ?? options.base });
    mark = performance.now();
    const comparison = baseSha ? await compareWithBase(root, baseSha) : await (source.compareWithBase as (base: string) => Promise<SourceComparison>)(options.base);
    for (const result of results) {
      // External plugins come from other repositories: this repository's base says nothing of them.
      if (result.status !== "success" || isExternalPath(result.path)) continue;
      result.change = changeOf(result, comparison.atBase, comparison.changed);
    }
    timings.changeDetection = performance.now() - mark;
    stage.end();
  }

  results.sort((a, b) => ARTIFACT_TYPES.indexOf(a.type) - ARTIFACT_TYPES.indexOf(b.type) || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.path < b.path ? -1 : 1));
  timings.total = performance.now() - started;
  const report = buildReport({ root, profile, base: options.base ?? null, results, timings, stats, filesListed: files.length, strategy: source.strategy, warnings, apiCalls: source.apiCalls ?? 0, bytesFetched: source.bytesFetched ?? 0 });
  for (const artifact of report.artifacts) {
    if (artifact.status !== "success") log.debug("artifact", { artifactKey: artifact.key, status: artifact.status, reason: artifact.reason?.code ?? null });
  }
  for (const warning of report.warnings) log.warn(warning);
  span.setAttributes({
    "skilldex.artifacts": report.totals.discovered,
    "skilldex.success": report.totals.success,
    "skilldex.skipped": report.totals.skipped,
    "skilldex.failed": report.totals.failed,
    "skilldex.strategy": source.strategy,
    "skilldex.outcome": report.totals.failed > 0 ? "failed" : "success",
  });
  log.info("scan finished", { ...report.totals, strategy: source.strategy, durationMs: report.timings.total });
  return report;
}

/**
 * The copy of each key that keeps it: the one Claude Code would load (in a plugin folder a
 * marketplace lists, or a project's own `.claude/`), then one in any plugin, then the shallowest
 * path, then path order.
 */
function keyHolders(artifacts: readonly Artifact[], listedPluginDirs: readonly string[]): Map<string, Artifact> {
  const listed = new Set(listedPluginDirs);
  const loaded = (artifact: Artifact): boolean => {
    if (artifact.type === "marketplace" || artifact.path === ".claude" || artifact.path.startsWith(".claude/")) return true;
    for (let dir = artifact.path; dir !== ""; dir = dirname(dir)) if (listed.has(dir)) return true;
    return false;
  };
  const rank = (artifact: Artifact): number => (loaded(artifact) ? 0 : artifact.plugin !== null || (artifact.type === "plugin" && artifact.manifest !== null) ? 1 : 2);
  const depth = (artifact: Artifact): number => (artifact.path === "" ? 0 : artifact.path.split("/").length);
  const better = (a: Artifact, b: Artifact): boolean => (rank(a) - rank(b) || depth(a) - depth(b) || (a.path < b.path ? -1 : 1)) < 0;
  const holders = new Map<string, Artifact>();
  for (const artifact of artifacts) {
    const current = holders.get(artifact.key);
    if (current === undefined || better(artifact, current)) holders.set(artifact.key, artifact);
  }
  return holders;
}

function skip(result: ArtifactResult, reason: Reason): void {
  result.status = "skipped";
  result.reason = reason;
}

export function describeSkip(entry: SkipEntry): string {
  const parts = ["Skipped by preference"];
  if (entry.by) parts.push(`of @${entry.by.replace(/^@/, "")}`);
  if (entry.at) parts.push(`on ${entry.at.slice(0, 10)}`);
  if (entry.ref) parts.push(`in ${entry.ref}`);
  return `${parts.join(" ")}: ${entry.reason ?? "no reason given"}.`.replace(/\.\.$/, ".");
}

function pathAndParents(artifact: Artifact): string[] {
  const out = [artifact.path];
  if (artifact.manifest && artifact.manifest !== artifact.path) out.push(artifact.manifest);
  for (let dir = dirname(artifact.path); dir !== ""; dir = dirname(dir)) out.push(dir);
  return out;
}

async function readAndParse(source: FileSource, path: string, stats: { filesRead: number; bytesRead: number }): Promise<Load> {
  const read = await source.readFile(path, MAX_MANIFEST_BYTES);
  if (!read.ok) {
    return read.code === "too_large" ? { kind: "too_large", size: read.size, limit: MAX_MANIFEST_BYTES } : { kind: "io_error", message: read.message };
  }
  stats.filesRead++;
  stats.bytesRead += read.bytes.length;
  const decoded = decodeText(read.bytes);
  if (decoded.text === null) return { kind: "text", problems: decoded.problems, parsed: null };
  const parsed = path.endsWith(".json") ? parseJson(decoded.text) : /\.(c|m)?(j|t)sx?$/.test(path) ? parseScript(decoded.text) : parseMarkdown(decoded.text);
  if (parsed.format === "markdown") {
    // The frontmatter views parse on first use; use them here so that parsing time counts as such.
    void parsed.claude;
    if (/(^|\/)(SKILL|skill)\.md$/.test(path)) void parsed.spec;
  }
  return { kind: "text", problems: decoded.problems, parsed };
}

/** `mcp.json` is an MCP config only with `mcpServers`; `.claude/settings.json` is a hook only with `hooks`. */
async function isArtifactAfterAll(artifact: Artifact, load: Load): Promise<boolean> {
  if (load.kind !== "text" || load.parsed?.format !== "json") return true;
  const value = load.parsed.value;
  if (value === undefined) return true; // invalid JSON: report it rather than guess
  if (!isObject(value)) return false;
  return artifact.type === "hook" ? "hooks" in value : "mcpServers" in value || looksLikeServers(value);
}

function changeOf(result: ArtifactResult, atBase: Set<string>, changed: Set<string>): Change {
  const manifest = result.files[0];
  if (manifest === undefined) return "unchanged";
  if (!atBase.has(manifest)) return "added";
  return result.files.some((f) => changed.has(f)) ? "updated" : "unchanged";
}

function buildReport(input: {
  root: string;
  profile: Profile;
  base: string | null;
  results: ArtifactResult[];
  timings: Report["timings"];
  stats: { filesRead: number; bytesRead: number };
  filesListed: number;
  strategy: string;
  warnings: string[];
  apiCalls: number;
  bytesFetched: number;
}): Report {
  const totals = emptyCounts();
  const byType = Object.fromEntries(ARTIFACT_TYPES.map((t) => [t, emptyCounts()])) as Record<ArtifactType, ReturnType<typeof emptyCounts>>;
  const findings: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  let unchanged = 0;
  let skippedByPreference = 0;
  for (const r of input.results) {
    totals.discovered++;
    totals[r.status]++;
    byType[r.type].discovered++;
    byType[r.type][r.status]++;
    for (const f of r.findings) findings[f.severity]++;
    if (r.change === "unchanged") unchanged++;
    if (r.reason?.code === "in_skip_list") skippedByPreference++;
  }
  const n = input.results.length;
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "skilldex", version: VERSION },
    root: input.root,
    profile: input.profile,
    base: input.base,
    totals,
    byType,
    artifacts: input.results,
    metrics: {
      strategy: input.strategy,
      filesListed: input.filesListed,
      filesRead: input.stats.filesRead,
      bytesRead: input.stats.bytesRead,
      apiCalls: input.apiCalls,
      bytesFetched: input.bytesFetched,
      preScanHitRate: input.base === null ? null : n === 0 ? 0 : unchanged / n,
      skipAdoption: n === 0 ? 0 : skippedByPreference / n,
      findings,
    },
    timings: Object.fromEntries(Object.entries(input.timings).map(([k, v]) => [k, round(v)])) as Report["timings"],
    warnings: input.warnings,
  };
}

/**
 * Settings come from the folder when the files are on disk, and through the source otherwise
 * (an API listing or a clone without a work tree); a `configPath` always names a local file.
 */
async function readConfig(root: string, source: FileSource, configPath: string | null | undefined): Promise<SkilldexConfig> {
  if (configPath || source.strategy === "workspace") return loadConfig(root, configPath).config;
  if (source.localRoot) return loadConfig(source.localRoot).config;
  const read = await source.readFile(SKIP_FILE_PATH, MAX_MANIFEST_BYTES);
  if (!read.ok) {
    if (read.code === "io_error" && read.missing) return parseSkipFile("");
    throw new Error(`config file ${SKIP_FILE_PATH} cannot be read: ${read.code === "too_large" ? "over 1 MiB" : read.message}`);
  }
  return parseSkipFile(Buffer.from(read.bytes).toString("utf8"), SKIP_FILE_PATH);
}

/** A marketplace entry whose plugin could not be fetched fails alone, pointing at its source. */
function externalFailure(name: string, dir: string, marketplaceFile: string, reason: string, span: Span_): ArtifactResult {
  return {
    key: `plugin:${name}`,
    type: "plugin",
    name,
    path: dir,
    files: [],
    status: "failed",
    change: null,
    reason: { code: "io_error", message: `The external plugin cannot be fetched: ${reason}.` },
    findings: [
      {
        rule: marketplaceExternalSource.id,
        severity: "error",
        message: `The external plugin ${JSON.stringify(name)} cannot be fetched: ${reason}.`,
        file: marketplaceFile,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      },
    ],
  };
}
