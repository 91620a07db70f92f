import { type DiscoveryHints, discoveryHints, isMarketplaceManifest } from "../discover/hints.js";
import { discover } from "../discover/index.js";
import { dirname } from "../discover/paths.js";
import type { Artifact, ArtifactResult } from "../model.js";
import type { Span as TextSpan } from "../parse/position.js";
import { isObject } from "../manifest/json.js";
import { looksLikeServers } from "../manifest/mcp.js";
import { marketplaceExternalSource } from "../rules/marketplace/external-source.js";
import type { Load } from "../rules/types.js";
import { externalPluginDir, fetchExternalPlugins, MountedSource, type ExternalPluginsOptions, type Mount } from "../source/external.js";
import type { FileSource } from "../source/types.js";
import { startChildSpan } from "../telemetry/trace.js";
import type { ManifestReader } from "./read.js";
import type { Span } from "@opentelemetry/api";

/** What the artifacts stage found: the listing, the artifacts, and what discovery read to find them. */
export interface ArtifactsStage {
  /** The source the rest of the scan reads from (the repository's, with external plugins mounted). */
  source: FileSource;
  files: string[];
  artifacts: Artifact[];
  hints: DiscoveryHints;
  /** Plugins a marketplace lists from elsewhere that could not be fetched: each fails alone. */
  externalFailures: ArtifactResult[];
  warnings: string[];
  timings: { listing: number; discovery: number; readingAndParsing: number };
}

export interface ArtifactsOptions {
  reader: ManifestReader;
  repoName: string;
  external?: ExternalPluginsOptions;
  /** Receives every external plugin fetched, so the caller removes them whatever happens. */
  fetched: Mount[];
  /** The scan's span: the listing and the discovery are spans of their own below it. */
  span?: Span;
}

/**
 * Listing → hints → discover: the files, then what the marketplaces, plugin manifests and hooks
 * files say about which folders are plugins and which files are components (read as the App reads
 * them, by discoveryHints), then the artifacts.
 */
export async function collectArtifacts(options: ArtifactsOptions): Promise<ArtifactsStage> {
  const { reader } = options;
  const timings = { listing: 0, discovery: 0, readingAndParsing: 0 };
  let stage = options.span ? startChildSpan(options.span, "skilldex.source", { "skilldex.strategy": reader.source.strategy }) : null;
  let mark = performance.now();
  let listing = await reader.source.listFiles();
  timings.listing = performance.now() - mark;
  stage?.setAttribute("skilldex.files", listing.files.length);
  stage?.end();
  stage = options.span ? startChildSpan(options.span, "skilldex.discovery") : null;

  const readJson = async (file: string): Promise<unknown> => {
    const loaded = await reader.load(file);
    return loaded.kind === "text" && loaded.parsed?.format === "json" ? loaded.parsed.value : undefined;
  };
  mark = performance.now();
  const warnings = [...listing.warnings];
  const externalFailures: ArtifactResult[] = [];
  const listedExternally: string[] = [];
  if (options.external) {
    const mounted = await mountExternalPlugins(listing.files, reader, options.external, options.fetched);
    externalFailures.push(...mounted.failures);
    listedExternally.push(...mounted.dirs);
    if (mounted.dirs.length > 0) {
      // External plugins appear under their marketplace, in one tree with the repository's files.
      listing = await reader.source.listFiles();
      warnings.push(...listing.warnings.filter((w) => !warnings.includes(w)));
    }
  }
  const files = listing.files;
  timings.discovery = performance.now() - mark;
  // The manifests are read at once, so their reading is counted as the time the hints take.
  mark = performance.now();
  const hints = await discoveryHints(files, readJson);
  hints.listedPluginDirs.push(...listedExternally);
  timings.readingAndParsing = performance.now() - mark;
  mark = performance.now();
  const discovered = discover(files, { repoName: options.repoName, ...hints });
  timings.discovery += performance.now() - mark;

  // Files that are artifacts only if their contents say so are read now, to know.
  mark = performance.now();
  const artifacts: Artifact[] = [];
  for (const artifact of discovered) {
    if (artifact.tentative && artifact.manifest && !isArtifactAfterAll(artifact, await reader.load(artifact.manifest))) continue;
    artifacts.push(artifact);
  }
  timings.readingAndParsing += performance.now() - mark;
  stage?.setAttribute("skilldex.artifacts", artifacts.length);
  stage?.end();
  return { source: reader.source, files, artifacts, hints, externalFailures, warnings, timings };
}

/**
 * Fetches the plugins each marketplace lists from other repositories and mounts them under it
 * (`<marketplace>/@external/<name>`), so the reader's source holds them; one that cannot be
 * fetched fails alone, pointing at its entry.
 */
async function mountExternalPlugins(files: readonly string[], reader: ManifestReader, external: ExternalPluginsOptions, fetched: Mount[]): Promise<{ dirs: string[]; failures: ArtifactResult[] }> {
  const mounts: Mount[] = [];
  const failures: ArtifactResult[] = [];
  for (const file of files) {
    if (!isMarketplaceManifest(file)) continue;
    const loaded = await reader.load(file);
    const json = loaded.kind === "text" && loaded.parsed?.format === "json" ? loaded.parsed : null;
    if (!json || !isObject(json.value)) continue;
    const marketplaceRoot = dirname(dirname(file));
    for (const plugin of await fetchExternalPlugins(json.value, external)) {
      const dir = externalPluginDir(marketplaceRoot, plugin.name);
      if (plugin.ok) {
        mounts.push({ dir, source: plugin.source });
        fetched.push({ dir, source: plugin.source });
      } else {
        failures.push(externalFailure(plugin.name, dir, file, plugin.reason, json.locate(["plugins", plugin.index, "source"])));
      }
    }
  }
  if (mounts.length > 0) reader.source = new MountedSource(reader.source, mounts);
  return { dirs: mounts.map((m) => m.dir), failures };
}

/** `mcp.json` is an MCP config only with `mcpServers`; `.claude/settings.json` is a hook only with `hooks`. */
function isArtifactAfterAll(artifact: Artifact, load: Load): boolean {
  if (load.kind !== "text" || load.parsed?.format !== "json") return true;
  const value = load.parsed.value;
  if (value === undefined) return true; // invalid JSON: report it rather than guess
  if (!isObject(value)) return false;
  return artifact.type === "hook" ? "hooks" in value : "mcpServers" in value || looksLikeServers(value);
}

/** A marketplace entry whose plugin could not be fetched fails alone, pointing at its source. */
function externalFailure(name: string, dir: string, marketplaceFile: string, reason: string, span: TextSpan): ArtifactResult {
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
