import { resolveRelative } from "../discover/paths.js";
import { isObject } from "./json.js";

/** The plugin folders a marketplace lists by relative path, resolved against the marketplace root. */
export function localPluginSources(marketplaceDir: string, manifest: Record<string, unknown>): { index: number; source: string; dir: string | null }[] {
  const plugins = Array.isArray(manifest.plugins) ? manifest.plugins : [];
  const pluginRoot = isObject(manifest.metadata) && typeof manifest.metadata.pluginRoot === "string" ? manifest.metadata.pluginRoot : null;
  const out: { index: number; source: string; dir: string | null }[] = [];
  plugins.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.source !== "string") return;
    const source = entry.source;
    // A bare name is looked up under metadata.pluginRoot; anything else is relative to the root.
    const base = pluginRoot !== null && !source.startsWith(".") && !source.startsWith("/") ? resolveRelative(marketplaceDir, pluginRoot) : marketplaceDir;
    out.push({ index, source, dir: base === null || source.startsWith("/") ? null : resolveRelative(base, source) });
  });
  return out;
}

/**
 * Anthropic's own marketplaces, as Claude Code 2.1.330 knows them: their names pass validation
 * (they are refused only when added from elsewhere).
 */
const OFFICIAL_MARKETPLACES = new Set([
  "claude-code-marketplace", "claude-code-plugins", "claude-plugins-official", "anthropic-marketplace", "anthropic-plugins", "agent-skills",
  "anthropic-agent-skills", "life-sciences", "knowledge-work-plugins", "claude-for-legal", "claude-for-financial-services",
  "financial-services-plugins", "first-party-plugins", "claude-tag-plugins", "claude-community", "claude-plugins-community", "claude-plugin-directory",
]);

/** The official marketplaces that hold others' plugins: the names they list are held to the rules. */
const COMMUNITY_MARKETPLACES = new Set(["claude-community", "claude-plugins-community", "claude-plugin-directory"]);

/** Whether a marketplace name is one of Anthropic's own, whatever its case. */
export function isOfficialMarketplace(name: unknown): boolean {
  return typeof name === "string" && OFFICIAL_MARKETPLACES.has(name.toLowerCase());
}

/** Whether Claude Code accepts plugin names reserved for Anthropic (`claude-…`) in this marketplace. */
export function mayListReservedNames(marketplaceName: unknown): boolean {
  return isOfficialMarketplace(marketplaceName) && !COMMUNITY_MARKETPLACES.has((marketplaceName as string).toLowerCase());
}

/** A component that a `strict: false` marketplace entry defines inline for its plugin folder. */
export interface InlineComponent {
  index: number;
  dir: string;
  type: "lsp";
  /** Where the definition stands in marketplace.json. */
  at: (string | number)[];
}

/**
 * The LSP server maps that `strict: false` entries write inline: such an entry is its plugin's
 * manifest, and Claude Code loads those servers as the plugin's (as Anthropic's official
 * marketplace does for its language-server plugins).
 */
export function inlineComponents(marketplaceDir: string, manifest: Record<string, unknown>): InlineComponent[] {
  const plugins = Array.isArray(manifest.plugins) ? manifest.plugins : [];
  const out: InlineComponent[] = [];
  for (const { index, dir } of localPluginSources(marketplaceDir, manifest)) {
    const entry = plugins[index];
    if (dir === null || dir === marketplaceDir || !isObject(entry) || entry.strict !== false) continue;
    if (isObject(entry.lspServers)) out.push({ index, dir, type: "lsp", at: ["plugins", index, "lspServers"] });
  }
  return out;
}
