import { type DiscoveryHints, hintsFrom, hintsFromHooksFile, hooksFilesToRead, isMarketplaceManifest, isPluginManifest } from "../discover/hints.js";
import { discover } from "../discover/index.js";
import { dirname } from "../discover/paths.js";
import type { Artifact, ArtifactResult } from "../model.js";
import type { ParsedJson } from "../parse/json.js";
import type { Span as TextSpan } from "../parse/position.js";
import { isObject } from "../rules/json/valid.js";
import { looksLikeServers } from "../rules/mcp/servers.js";
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
 * files say about which folders are plugins and which files are components, then the artifacts.
 */
export async function collectArtifacts(options: ArtifactsOptions): Promise<ArtifactsStage> {
  const { reader } = options;
  const timings = { listing: 0, discovery: 0, readingAndParsing: 0 };
  let stage = options.span ? startChildSpan(options.span, "skilldex.source", { "skilldex.strategy": reader.source.strategy }) : null;
  let mark = performance.now();
  let listing = await reader.source.listFiles();
  let files = listing.files;
  const warnings = [...listing.warnings];
  timings.listing = performance.now() - mark;
  stage?.setAttribute("skilldex.files", files.length);
  stage?.end();
  stage = options.span ? startChildSpan(options.span, "skilldex.discovery") : null;

  // Marketplaces are read before discovery: the plugin folders they list are plugins too.
  mark = performance.now();
  const hints: DiscoveryHints = { listedPluginDirs: [], namedComponents: [], replacedDefaults: [], inlineComponents: [] };
  const externalFailures: ArtifactResult[] = [];
  const mounts: Mount[] = [];
  let parseTime = 0;
  const manifestValue = async (file: string): Promise<ParsedJson | null> => {
    const t = performance.now();
    const loaded = await reader.load(file);
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
            options.fetched.push({ dir, source: plugin.source });
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
    reader.source = new MountedSource(reader.source, mounts);
    listing = await reader.source.listFiles();
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
  const discovered = discover(files, { repoName: options.repoName, ...hints });
  timings.discovery = performance.now() - mark - parseTime;
  timings.readingAndParsing = parseTime;

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
