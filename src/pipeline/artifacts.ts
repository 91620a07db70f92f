import { type DiscoveryHints, discoveryHints } from "../discover/hints.js";
import { discover } from "../discover/index.js";
import type { Artifact } from "../model.js";
import { isObject } from "../manifest/json.js";
import { looksLikeServers } from "../manifest/mcp.js";
import type { Load, RuleContext } from "../rules/types.js";
import type { ExternalFailure, ExternalPlugins } from "../source/external.js";
import type { FileSource } from "../source/types.js";
import { startChildSpan } from "../telemetry/trace.js";
import type { ManifestReader } from "./read.js";
import type { Span } from "@opentelemetry/api";

/** What the rules learn of an external plugin that could not be fetched. */
export type Unfetched = NonNullable<RuleContext["unfetched"]>;

/** What the artifacts stage found: the listing, the artifacts, and what discovery read to find them. */
export interface ArtifactsStage {
  /** The source the rest of the scan reads from. */
  source: FileSource;
  files: string[];
  artifacts: Artifact[];
  hints: DiscoveryHints;
  /**
   * One plugin artifact for each plugin a marketplace lists from elsewhere that could not be
   * fetched, with why: each fails alone (by the rule marketplace/external-source). They are not
   * in `artifacts`, which holds what the files say.
   */
  unfetched: Map<Artifact, Unfetched>;
  warnings: string[];
  timings: { listing: number; discovery: number; readingAndParsing: number };
}

export interface ArtifactsOptions {
  reader: ManifestReader;
  repoName: string;
  /** The external plugins already mounted in the reader's source (withExternalPlugins), and those that could not be fetched. */
  external?: Pick<ExternalPlugins, "mounted" | "failures">;
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
  const listing = await reader.source.listFiles();
  timings.listing = performance.now() - mark;
  stage?.setAttribute("skilldex.files", listing.files.length);
  stage?.end();
  stage = options.span ? startChildSpan(options.span, "skilldex.discovery") : null;

  const readJson = async (file: string): Promise<unknown> => {
    const loaded = await reader.load(file);
    return loaded.kind === "text" && loaded.parsed?.format === "json" ? loaded.parsed.value : undefined;
  };
  const files = listing.files;
  // The manifests are read at once, so their reading is counted as the time the hints take.
  mark = performance.now();
  const hints = await discoveryHints(files, readJson);
  // External plugins appear under their marketplace, as plugin folders it lists.
  hints.listedPluginDirs.push(...(options.external?.mounted ?? []));
  timings.readingAndParsing = performance.now() - mark;
  mark = performance.now();
  const discovered = discover(files, { repoName: options.repoName, ...hints });
  timings.discovery += performance.now() - mark;

  // Files that are artifacts only if their contents say so are read now, to know.
  mark = performance.now();
  const artifacts: Artifact[] = [];
  reader.readAhead(discovered.flatMap((artifact) => (artifact.tentative && artifact.manifest ? [artifact.manifest] : [])));
  for (const artifact of discovered) {
    if (artifact.tentative && artifact.manifest && !isArtifactAfterAll(artifact, await reader.load(artifact.manifest))) continue;
    artifacts.push(artifact);
  }
  timings.readingAndParsing += performance.now() - mark;
  stage?.setAttribute("skilldex.artifacts", artifacts.length);
  stage?.end();
  const unfetched = new Map((options.external?.failures ?? []).map((failure) => [unfetchedPlugin(failure), { marketplaceFile: failure.marketplaceFile, index: failure.index, reason: failure.reason }]));
  return { source: reader.source, files, artifacts, hints, unfetched, warnings: [...listing.warnings], timings };
}

/** The plugin an external entry would have been, keyed by its name as a fetched one is. */
function unfetchedPlugin(failure: ExternalFailure): Artifact {
  return { key: `plugin:${failure.name}`, type: "plugin", name: failure.name, path: failure.dir, manifest: null, files: [], plugin: null };
}

/** `mcp.json` is an MCP config only with `mcpServers`; `.claude/settings.json` is a hook only with `hooks`. */
function isArtifactAfterAll(artifact: Artifact, load: Load): boolean {
  if (load.kind !== "text" || load.parsed?.format !== "json") return true;
  const value = load.parsed.value;
  if (value === undefined) return true; // invalid JSON: report it rather than guess
  if (!isObject(value)) return false;
  return artifact.type === "hook" ? "hooks" in value : "mcpServers" in value || looksLikeServers(value);
}
