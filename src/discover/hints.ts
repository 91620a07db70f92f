import { parseJson } from "../parse/json.js";
import { decodeText } from "../parse/text.js";
import { isObject } from "../manifest/json.js";
import { inlineComponents, localPluginSources } from "../manifest/marketplace.js";
import { namedComponents, replacedDefaults, type ComponentType } from "../manifest/plugin.js";
import { dirname, resolveRelative } from "./paths.js";

const MARKETPLACE_MANIFEST = ".claude-plugin/marketplace.json";
const PLUGIN_MANIFEST = ".claude-plugin/plugin.json";

/** A component file or folder that a plugin manifest names, with the plugin folder that names it. */
export interface NamedComponentHint {
  pluginDir: string;
  type: ComponentType;
  path: string;
}

/** A default component folder that a plugin.json turns off by naming its own paths for the type. */
export interface ReplacedDefaultHint {
  pluginDir: string;
  type: ComponentType;
}

/** A server map a `strict: false` marketplace entry writes inline for its plugin folder. */
export interface InlineComponentHint {
  pluginDir: string;
  type: "lsp";
  file: string;
  at: (string | number)[];
}

/** What discovery needs from file contents, on top of the file listing (see DiscoverOptions). */
export interface DiscoveryHints {
  listedPluginDirs: string[];
  namedComponents: NamedComponentHint[];
  replacedDefaults: ReplacedDefaultHint[];
  inlineComponents: InlineComponentHint[];
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
function pluginDirsListedBy(marketplaceFile: string, manifest: unknown): string[] {
  if (!isObject(manifest)) return [];
  const marketplaceRoot = dirname(dirname(marketplaceFile));
  // An entry whose source is the marketplace's own root (`"./"` with `strict: false`) defines
  // a plugin inline; the root itself is no plugin folder, or every key would take its name.
  return localPluginSources(marketplaceRoot, manifest)
    .map(({ dir }) => dir)
    .filter((dir): dir is string => dir !== null && dir !== marketplaceRoot);
}

/** The component files and folders a plugin.json names, beside or instead of the default folders. */
function componentsNamedBy(pluginManifestFile: string, manifest: unknown): NamedComponentHint[] {
  if (!isObject(manifest)) return [];
  const pluginDir = dirname(dirname(pluginManifestFile));
  return namedComponents(pluginDir, manifest).map((named) => ({ pluginDir, ...named }));
}

/** A plugin's default hooks file. */
function isHooksFile(path: string): boolean {
  return path === "hooks/hooks.json" || path.endsWith("/hooks/hooks.json");
}

/**
 * The hooks files whose `modules` discovery reads once the plugin manifests are read: every
 * default hooks file, and every hooks file a plugin.json names.
 */
function hooksFilesToRead(files: readonly string[], hints: DiscoveryHints): string[] {
  const named = hints.namedComponents.filter((n) => n.type === "hook").map((n) => n.path);
  const listed = new Set(files);
  return [...new Set([...files.filter(isHooksFile), ...named])].filter((path) => listed.has(path));
}

/** The hooks modules a hooks file names (`"modules": ["./register.js"]`, relative to the hooks file). */
function hintsFromHooksFile(file: string, manifest: unknown, hints: DiscoveryHints): void {
  if (!isObject(manifest) || !Array.isArray(manifest.modules)) return;
  const pluginDir = hints.namedComponents.find((n) => n.type === "hook" && n.path === file)?.pluginDir ?? dirname(dirname(file));
  for (const module of manifest.modules) {
    if (typeof module !== "string" || !module.startsWith("./") || module.split("/").includes("..")) continue;
    const path = resolveRelative(dirname(file), module);
    if (path !== null) hints.namedComponents.push({ pluginDir, type: "module", path });
  }
}

/** What one manifest tells discovery, by the kind of manifest it is. */
function hintsFrom(file: string, manifest: unknown, hints: DiscoveryHints): void {
  if (isMarketplaceManifest(file)) {
    hints.listedPluginDirs.push(...pluginDirsListedBy(file, manifest));
    if (isObject(manifest)) hints.inlineComponents.push(...inlineComponents(dirname(dirname(file)), manifest).map(({ dir, type, at }) => ({ pluginDir: dir, type, file, at })));
  } else if (isPluginManifest(file)) {
    hints.namedComponents.push(...componentsNamedBy(file, manifest));
    if (isObject(manifest)) hints.replacedDefaults.push(...replacedDefaults(manifest).map((type) => ({ pluginDir: dirname(dirname(file)), type })));
  }
}

/**
 * Reads every marketplace.json and plugin.json of a listing, then the hooks files, and returns what discovery needs
 * from them, so that a scan and the App compute the same keys from the same files. A manifest
 * that `readJson` cannot give contributes nothing. Reads run at once: callers that talk to an
 * API bound their own concurrency.
 */
export async function discoveryHints(files: readonly string[], readJson: ReadJson): Promise<DiscoveryHints> {
  const manifests = files.filter((file) => isMarketplaceManifest(file) || isPluginManifest(file));
  const values = await Promise.all(manifests.map((file) => readJson(file)));
  const hints: DiscoveryHints = { listedPluginDirs: [], namedComponents: [], replacedDefaults: [], inlineComponents: [] };
  manifests.forEach((file, i) => hintsFrom(file, values[i], hints));
  // Hooks files name the plugin's hooks modules; which hooks files there are, plugin.json says.
  const hooksFiles = hooksFilesToRead(files, hints);
  const hooks = await Promise.all(hooksFiles.map((file) => readJson(file)));
  hooksFiles.forEach((file, i) => hintsFromHooksFile(file, hooks[i], hints));
  return hints;
}
