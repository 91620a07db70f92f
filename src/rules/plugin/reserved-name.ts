import { localPluginSources, mayListReservedNames } from "../../manifest/marketplace.js";
import { isObject } from "../../manifest/json.js";
import { spanOffsets } from "../_shared/fix-text.js";
import { basename } from "../../discover/paths.js";
import { always, type Rule, type RuleFix, type ScanScope } from "../types.js";
import type { Span } from "../../parse/position.js";
import { reservedPluginName } from "../_shared/reserved-names.js";

export const pluginReservedName: Rule = {
  id: "plugin/reserved-name",
  description: "A plugin's `name` is not one Claude Code reserves for Anthropic's own plugins: `claude`, `anthropic`, `anthropics`, `claude-code`, `claude-mods`, anything starting `claude-`, `anthropic-`, `anthropics-` or `cc-plugin-`, or `official` beside claude/anthropic. Case, `_`, `.` and look-alike letters do not help. A plugin that one of Anthropic's own marketplaces (such as `claude-plugins-official`) lists may have such a name.",
  types: ["plugin"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Name the plugin for what it does, such as `pdf-tools`.",
  fixable: "suggested",
  example: { file: ".claude-plugin/plugin.json", line: 2, column: 11, message: "The plugin name \"claude-helper\" starts with a prefix reserved for Anthropic's own plugins (claude-, anthropic-, anthropics-, cc-plugin-); name it for what it does." },
  check({ artifact, json, scope, report }) {
    if (!json || !isObject(json.value) || typeof json.value.name !== "string") return;
    // A plugin that one of Anthropic's own marketplaces lists is installed from it, where the name is accepted.
    if (scope && listedByAnthropic(artifact.path, scope)) return;
    const why = reservedPluginName(json.value.name);
    if (!why) return;
    const span = json.locate(["name"]);
    const free = freeName(json.value.name, artifact.path);
    report({ message: `${why}; name it for what it does.`, span, ...(free ? { fix: rename(span, free) } : {}) });
  },
};

/** The plugin folders Anthropic's own marketplaces list, found once per scan. */
const listedByAnthropicCache = new WeakMap<ScanScope, Set<string>>();

function listedByAnthropic(pluginDir: string, scope: ScanScope): boolean {
  let dirs = listedByAnthropicCache.get(scope);
  if (!dirs) {
    dirs = new Set();
    for (const marketplace of scope.artifacts) {
      if (marketplace.type !== "marketplace" || marketplace.manifest === null) continue;
      const parsed = scope.parsed(marketplace.manifest);
      const value = parsed?.format === "json" ? parsed.value : undefined;
      if (!isObject(value) || !mayListReservedNames(value.name)) continue;
      for (const { dir } of localPluginSources(marketplace.path, value)) if (dir !== null) dirs.add(dir);
    }
    listedByAnthropicCache.set(scope, dirs);
  }
  return dirs.has(pluginDir);
}

/** The name without its reserved prefixes, else the folder's name, in kebab-case; null when both are reserved. */
function freeName(name: string, folder: string): string | null {
  const kebab = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const stripped = kebab(name).replace(/^(?:(?:claude|anthropics?|cc-plugin|official)(?:-|$))+/, "");
  for (const candidate of [stripped, kebab(basename(folder))]) {
    if (candidate !== "" && reservedPluginName(candidate) === null) return candidate;
  }
  return null;
}

/** A new `name`: it changes how the plugin is installed and called, so it is only suggested. */
function rename(span: Span, name: string): RuleFix {
  return {
    level: "suggested",
    edits(text) {
      const { start, end } = spanOffsets(text, span);
      return text[start] === '"' ? [{ start, end, text: JSON.stringify(name) }] : [];
    },
  };
}
