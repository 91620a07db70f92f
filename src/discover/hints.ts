import { parseJson } from "../parse/json.js";
import { decodeText } from "../parse/text.js";
import { isObject } from "../rules/json/valid.js";
import { localPluginSources } from "../rules/marketplace/structure.js";
import { namedConfigFiles } from "../rules/plugin/components.js";
import { dirname } from "./paths.js";

const MARKETPLACE_MANIFEST = ".claude-plugin/marketplace.json";
const PLUGIN_MANIFEST = ".claude-plugin/plugin.json";

/** A hooks or MCP file that a plugin manifest names, with the plugin folder that names it. */
export interface NamedConfigFileHint {
  pluginDir: string;
  type: "hook" | "mcp";
  path: string;
}

/** What discovery needs from file contents, on top of the file listing (see DiscoverOptions). */
export interface DiscoveryHints {
  listedPluginDirs: string[];
  namedConfigFiles: NamedConfigFileHint[];
}

/** Reads a file as JSON: undefined when it cannot be read or is not valid JSON. */
export type ReadJson = (path: string) => Promise<unknown>;

/** A manifest's bytes read as a scan reads them (UTF-8, byte order mark dropped, strict JSON); undefined when they are no JSON. */
export function manifestJson(bytes: Uint8Array): unknown {
  const { text } = decodeText(bytes);
  return text === null ? undefined : parseJson(text).value;
}

export function isMarketplaceManifest(path: string): boolean {
  return path === MARKETPLACE_MANIFEST || path.endsWith(`/${MARKETPLACE_MANIFEST}`);
}

export function isPluginManifest(path: string): boolean {
  return path === PLUGIN_MANIFEST || path.endsWith(`/${PLUGIN_MANIFEST}`);
}

/** The folders of this repository that a marketplace.json lists as plugins. */
export function pluginDirsListedBy(marketplaceFile: string, manifest: unknown): string[] {
  if (!isObject(manifest)) return [];
  const marketplaceRoot = dirname(dirname(marketplaceFile));
  // An entry whose source is the marketplace's own root (`"./"` with `strict: false`) defines
  // a plugin inline; the root itself is no plugin folder, or every key would take its name.
  return localPluginSources(marketplaceRoot, manifest)
    .map(({ dir }) => dir)
    .filter((dir): dir is string => dir !== null && dir !== marketplaceRoot);
}

/** The hooks and MCP files a plugin.json names at paths of its own choosing. */
export function configFilesNamedBy(pluginManifestFile: string, manifest: unknown): NamedConfigFileHint[] {
  if (!isObject(manifest)) return [];
  const pluginDir = dirname(dirname(pluginManifestFile));
  return namedConfigFiles(pluginDir, manifest).map((named) => ({ pluginDir, ...named }));
}

/**
 * Reads every marketplace.json and plugin.json of a listing and returns what discovery needs
 * from them, so that a scan and the App compute the same keys from the same files. A manifest
 * that `readJson` cannot give contributes nothing. Reads run at once: callers that talk to an
 * API bound their own concurrency.
 */
export async function discoveryHints(files: readonly string[], readJson: ReadJson): Promise<DiscoveryHints> {
  const manifests = files.filter((file) => isMarketplaceManifest(file) || isPluginManifest(file));
  const values = await Promise.all(manifests.map((file) => readJson(file)));
  const hints: DiscoveryHints = { listedPluginDirs: [], namedConfigFiles: [] };
  manifests.forEach((file, i) => {
    const value = values[i];
    if (isMarketplaceManifest(file)) hints.listedPluginDirs.push(...pluginDirsListedBy(file, value));
    else hints.namedConfigFiles.push(...configFilesNamedBy(file, value));
  });
  return hints;
}
