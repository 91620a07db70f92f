import { basename, resolve } from "node:path";
import type { Span } from "@opentelemetry/api";
import type { CapabilityChange } from "../capabilities/types.js";
import { loadConfig, parseSettings } from "../config.js";
import { isExternalPath } from "../discover/paths.js";
import type { CacheStore } from "../cache/store.js";
import type { Profile, Report } from "../model.js";
import { RULES } from "../rules/registry.js";
import { appliedSettings, ruleSettingsOf } from "../rules/settings.js";
import type { Rule } from "../rules/types.js";
import { MAX_SETTINGS_BYTES, SKIP_FILE_PATH, type SkilldexConfig } from "../skips/index.js";
import type { ExternalPlugins } from "../source/external.js";
import type { FileSource } from "../source/types.js";
import { WorkspaceSource } from "../source/workspace.js";
import { silentLogger, type Logger } from "../telemetry/log.js";
import { startChildSpan, withSpan } from "../telemetry/trace.js";
import { collectArtifacts } from "./artifacts.js";
import { classify, markDuplicates } from "./classify.js";
import { ArtifactCache, cachedReport, contentAddressed, prefetchDiscovery, reportKey, saveDiscoveryBlobs, saveReport, TrackingReader, type ContentAddressedSource } from "./cache.js";
import { ManifestReader } from "./read.js";
import { removedSince, type RemovedArtifact } from "./removed.js";
import { attachCapabilities, capabilityChangesSince } from "./capabilities.js";
import { buildReport, changeOf, sortResults } from "./report.js";
import { validate } from "./validate.js";

export interface ScanOptions {
  /** The folder to index (a git work tree when `base` is given). */
  root: string;
  /** Where files come from; the workspace at `root` by default. */
  source?: FileSource;
  /** Overrides the profile of the config file; `claude-code` when neither says. */
  profile?: Profile | null;
  /** A git ref to compare with; each successful artifact then says added, updated or unchanged, and `removed` lists what is gone. */
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
  /** The plugins marketplaces list from other repositories, already mounted in `source` by withExternalPlugins. */
  external?: Pick<ExternalPlugins, "mounted" | "failures">;
  /**
   * A content-addressed cache of results (see cache.ts): used with a source that names blobs by
   * sha (the clone, the API) and no external plugins; ignored otherwise.
   */
  cache?: CacheStore;
}

/** The whole pipeline: artifacts (listing, hints, discovery) → classify → validate → changes → report. */
export async function scan(options: ScanOptions): Promise<Report> {
  return withSpan("skilldex.scan", { "skilldex.root": resolve(options.root) }, async (span) => {
    if (options.source) return scanInSpan(options, options.source, span);
    // A workspace opened here is closed here: its reading thread, if it started one, stops.
    const source = new WorkspaceSource(resolve(options.root));
    try {
      return await scanInSpan(options, source, span);
    } finally {
      await source.dispose();
    }
  });
}

async function scanInSpan(options: ScanOptions, source: FileSource, span: Span): Promise<Report> {
  const started = performance.now();
  const log = options.logger ?? silentLogger;
  const root = resolve(options.root);
  const addressed = options.cache && !options.external?.mounted.length ? contentAddressed(source) : null;
  const cache = options.cache && addressed ? { store: options.cache, source: addressed } : null;
  // The blobs discovery reads come first, from the cache where it holds them, before anything else reads.
  const listing = cache ? await source.listFiles() : null;
  const discovery = cache && listing ? await prefetchDiscovery(cache.store, cache.source, listing.files) : null;
  const config = options.config ?? (await readConfig(root, source, options.configPath));
  const profile: Profile = options.profile ?? config.profile ?? "claude-code";
  const skipPreferences = options.skipPreferences !== false && config.skipPreferences;
  const repoName = options.repoName ?? (basename(root) || "root");

  // A listing scanned already with the same settings and base: its report, before any comparison.
  let keyOfReport: string | null = null;
  // A base named by a branch may move; only a sha says which commit the changes are against.
  if (cache && listing && (!options.base || /^[0-9a-f]{40,64}$/.test(options.base))) {
    keyOfReport = reportKey({ source: cache.source, files: listing.files, listingWarnings: listing.warnings, rules: options.rules ?? RULES, profile, config, skipPreferences, base: options.base ?? null, repoName, root });
    const reused = await cachedReport(cache.store, keyOfReport);
    if (reused) return reuseReport(reused, cache.source, started, log);
  }
  // Fail fast on a bad base, before any work: every source compares by its own means.
  let mark = performance.now();
  const comparison = options.base ? await source.compareWithBase(options.base) : null;
  let changeDetection = performance.now() - mark;

  log.info("scan started", { root, profile, strategy: source.strategy, base: options.base ?? null });
  const reader = cache ? new TrackingReader(source) : new ManifestReader(source);
  const found = await collectArtifacts({ reader, repoName, span, ...(options.external ? { external: options.external } : {}) });
  const { files, artifacts, unfetched } = found;

  const classified = classify([...unfetched.keys(), ...artifacts], config, skipPreferences);
  const { results, toValidate } = classified;
  const warnings = [...found.warnings, ...classified.warnings];

  let stage = startChildSpan(span, "skilldex.validation", { "skilldex.artifacts": toValidate.length });
  const rules = options.rules ?? RULES;
  const artifactCache = cache && reader instanceof TrackingReader ? new ArtifactCache(cache.store, cache.source, { rules, profile, settings: ruleSettingsOf(config), allow: config.allow ?? [] }) : null;
  const validateCache = cache && artifactCache && reader instanceof TrackingReader ? { artifacts: artifactCache, reader, source: cache.source, discoveryReads: new Set(reader.requested) } : undefined;
  const spent = await validate(toValidate, { reader, files, artifacts, profile, rules, unfetched, settings: ruleSettingsOf(config), ...(validateCache ? { cache: validateCache } : {}) });
  mark = performance.now();
  // A plugin that could not be fetched is no copy of one in the repository, which keeps its key.
  markDuplicates(toValidate.filter(({ artifact }) => !unfetched.has(artifact)), found.hints.listedPluginDirs);
  const timings = { ...found.timings };
  timings.readingAndParsing += spent.readingAndParsing;
  // Artifacts from the cache bring their capabilities with them, approvals applied: the allow list is part of their key.
  attachCapabilities(spent.judged ?? toValidate, artifacts, reader, config.allow);
  if (artifactCache && spent.recorded) await artifactCache.save(spent.recorded);
  const validation = spent.validation + performance.now() - mark;
  stage.end();

  let removed: RemovedArtifact[] | null = null;
  let capabilityChanges: CapabilityChange[] | null = null;
  if (options.base && comparison) {
    stage = startChildSpan(span, "skilldex.changes", { "skilldex.base": options.base });
    mark = performance.now();
    for (const result of results) {
      // External plugins come from other repositories: this repository's base says nothing of them.
      if (result.status !== "success" || isExternalPath(result.path)) continue;
      result.change = changeOf(result, comparison.atBase, comparison.changed);
    }
    const gone = await removedSince(options.base, comparison, { source, repoName, config, keys: new Set(results.map((r) => r.key)) });
    removed = gone.removed;
    warnings.push(...gone.warnings);
    capabilityChanges = await capabilityChangesSince(comparison, { source, repoName, config, results });
    changeDetection += performance.now() - mark;
    stage.end();
  }

  sortResults(results);
  const ordered = { listing: timings.listing, discovery: timings.discovery, readingAndParsing: timings.readingAndParsing, validation, changeDetection, total: performance.now() - started };
  const report = buildReport({ root, profile, base: options.base ?? null, results, removed, timings: ordered, stats: reader.stats, filesListed: files.length, strategy: source.strategy, warnings, apiCalls: source.apiCalls ?? 0, bytesFetched: source.bytesFetched ?? 0 });
  const applied = appliedSettings(ruleSettingsOf(config), artifacts);
  if (applied) report.settings = applied;
  if (capabilityChanges) report.capabilityChanges = capabilityChanges;
  recordIndexed(report, source);
  if (cache && discovery) {
    report.metrics.cache = { artifacts: toValidate.length - (spent.judged?.length ?? toValidate.length), validated: spent.judged?.length ?? toValidate.length, report: false };
    await saveDiscoveryBlobs(cache.store, cache.source, discovery);
    if (keyOfReport !== null) await saveReport(cache.store, keyOfReport, report);
  }
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

/** The commit and tree the source fetched, and the blobs it fetched, when it knows them (a clone, the API). */
function recordIndexed(report: Report, source: FileSource): void {
  const known = source as Partial<ContentAddressedSource>;
  if (typeof known.blobsFetched === "number") report.metrics.blobsFetched = known.blobsFetched;
  if (known.commitSha || known.treeSha) report.indexed = { commit: known.commitSha ?? null, tree: known.treeSha ?? null };
}

/**
 * A push whose listing, settings and base were scanned already: the report is that scan's, with
 * this scan's own metrics (what it fetched, nothing read) and timings.
 */
function reuseReport(report: Report, source: ContentAddressedSource, started: number, log: Logger): Report {
  report.metrics = { ...report.metrics, filesRead: 0, bytesRead: 0, apiCalls: source.apiCalls ?? 0, bytesFetched: source.bytesFetched ?? 0, cache: { artifacts: report.totals.discovered, validated: 0, report: true } };
  report.timings = { listing: 0, discovery: 0, readingAndParsing: 0, validation: 0, changeDetection: 0, total: Math.round((performance.now() - started) * 100) / 100 };
  recordIndexed(report, source);
  log.info("scan finished", { ...report.totals, strategy: source.strategy, durationMs: report.timings.total, fromCache: "report" });
  return report;
}

/**
 * Settings come from the folder when the files are on disk (a workspace, a sparse clone), and
 * through the source otherwise (an API listing, a clone without a work tree); a `configPath`
 * always names a local file.
 */
async function readConfig(root: string, source: FileSource, configPath: string | null | undefined): Promise<SkilldexConfig> {
  if (configPath) return loadConfig(root, configPath).config;
  if (source.localRoot) return loadConfig(source.localRoot).config;
  const read = await source.readFile(SKIP_FILE_PATH, MAX_SETTINGS_BYTES);
  if (!read.ok) {
    if (read.code === "io_error" && read.missing) return parseSettings("");
    throw new Error(`config file ${SKIP_FILE_PATH} cannot be read: ${read.code === "too_large" ? `over ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB` : read.message}`);
  }
  return parseSettings(Buffer.from(read.bytes).toString("utf8"), SKIP_FILE_PATH);
}
