import { isOfficialMarketplace } from "../../manifest/marketplace.js";

/**
 * The names Claude Code 2.1.330 reserves for Anthropic's own plugins and marketplaces, read the
 * way it reads them: case-insensitive, any run of non-alphanumerics as one separator, and
 * look-alike letters from other scripts folded to Latin.
 */

const LOOK_ALIKES: Record<string, string> = {
  а: "a", в: "b", с: "c", ԁ: "d", е: "e", ё: "e", һ: "h", і: "i", ї: "i", ј: "j", к: "k", ӏ: "l", м: "m", н: "h", о: "o", р: "p", ԛ: "q", ѕ: "s", т: "t", у: "y", х: "x", ԝ: "w",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w", ɡ: "g", ı: "i",
};

/** The name as Claude Code compares it: folded to lowercase ASCII where letters look alike. */
export function foldName(name: string): string {
  const lower = name.toLowerCase();
  if (!/[^\u0020-\u007e]/.test(lower)) return lower;
  return [...lower.normalize("NFKD").replace(/\p{M}+/gu, "")].map((c) => LOOK_ALIKES[c] ?? c).join("");
}

const MARKS = ["claude", "anthropic", "anthropics"];
const RESERVED_PREFIXES = new Set([...MARKS, "ccplugin"]);
const RESERVED_WHOLE = new Set([...MARKS, "claudecode", "claudemods"]);
const OFFICIAL = /official[^a-z0-9]*(anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official/i;

/** Why a plugin name is reserved, or null when it is free. */
export function reservedPluginName(name: string): string | null {
  const folded = foldName(name);
  const reading = folded !== name.toLowerCase() && /[^\u0020-\u007e]/.test(name) ? ` (read as ${JSON.stringify(folded)})` : "";
  const parts = folded.split(/[^a-z0-9]+/).filter((p) => p !== "");
  let joined = "";
  for (const [i, part] of parts.entries()) {
    joined += part;
    const whole = i === parts.length - 1;
    if ((whole ? RESERVED_WHOLE : RESERVED_PREFIXES).has(joined)) {
      return whole
        ? `The plugin name ${JSON.stringify(name)}${reading} is reserved for Anthropic's own plugins`
        : `The plugin name ${JSON.stringify(name)}${reading} starts with a prefix reserved for Anthropic's own plugins (claude-, anthropic-, anthropics-, cc-plugin-)`;
    }
    if (joined.length > 12) break;
  }
  if (OFFICIAL.test(folded) || OFFICIAL.test(parts.join(""))) return `The plugin name ${JSON.stringify(name)}${reading} puts "official" beside claude or anthropic, which is reserved for Anthropic`;
  return null;
}

/** Marketplace names Claude Code keeps for its own plugin sources. */
const RESERVED_MARKETPLACES: Record<string, string> = {
  inline: "--plugin-dir session plugins",
  builtin: "built-in plugins",
  "skills-dir": "plugins auto-loaded from .claude/skills/",
  synced: "plugins synced from a claude.ai account",
  "claude-plugin-test": "plugins loaded by claude plugin test",
};

const IMPERSONATION = /official[^a-z0-9]*(anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official|^(?:anthropic|claude)[^a-z0-9]*(marketplace|plugins|official|directory|directories)/i;

/** Why Claude Code refuses a marketplace name, or null when it accepts it. */
export function refusedMarketplaceName(name: string): string | null {
  const lower = name.toLowerCase();
  if (name.includes(" ")) return `The marketplace name ${JSON.stringify(name)} has spaces; use kebab-case, such as ${JSON.stringify(lower.trim().replace(/\s+/g, "-"))}`;
  if (name.includes("/") || name.includes("\\") || name.includes("..") || name === ".") return `The marketplace name ${JSON.stringify(name)} holds a path separator or ".."; use a plain kebab-case name`;
  const reserved = RESERVED_MARKETPLACES[lower];
  if (reserved !== undefined) return `The marketplace name ${JSON.stringify(lower)} is reserved for ${reserved}`;
  if (isOfficialMarketplace(name)) return null;
  if (/[^\u0020-\u007e]/.test(name)) return `The marketplace name ${JSON.stringify(name)} has characters outside plain ASCII, which Claude Code refuses as a possible impersonation`;
  if (IMPERSONATION.test(name) || IMPERSONATION.test(name.replace(/^[^a-z0-9]+/i, "")) || /official(?:anthropic|claude)|(?:anthropic|claude)official/i.test(name.replace(/[^a-z0-9]+/gi, ""))) {
    return `The marketplace name ${JSON.stringify(name)} impersonates an official Anthropic/Claude marketplace`;
  }
  return null;
}
