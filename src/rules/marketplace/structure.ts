import { resolveRelative } from "../../discover/paths.js";
import { describeJsonType, isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";

export const marketplaceStructure: Rule = {
  id: "marketplace/structure",
  description: "marketplace.json has a `name`, an `owner` with a `name`, and a `plugins` array whose entries each have a unique `name` and a `source`.",
  types: ["marketplace"],
  reason: "missing_metadata",
  severity: always("error"),
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const root = json.value;
    if (typeof root.name !== "string" || root.name.trim() === "") {
      report({
        message: "name" in root ? `\`name\` must be non-empty text, not ${describeJsonType(root.name)}.` : "marketplace.json has no `name`.",
        span: json.locate(["name"]),
        reason: "name" in root ? "invalid_field" : "missing_metadata",
      });
    }
    if (!isObject(root.owner) || typeof root.owner.name !== "string" || root.owner.name.trim() === "") {
      report({
        message: isObject(root.owner) ? "`owner` needs a `name`." : "marketplace.json needs an `owner` object with a `name`.",
        span: json.locate(["owner", "name"]),
      });
    }
    if (!Array.isArray(root.plugins)) {
      report({
        message: "plugins" in root ? `\`plugins\` must be an array, not ${describeJsonType(root.plugins)}.` : "marketplace.json has no `plugins` array.",
        span: json.locate(["plugins"]),
        reason: "invalid_structure",
      });
      return;
    }
    const seen = new Map<string, number>();
    root.plugins.forEach((entry, i) => {
      if (!isObject(entry)) {
        report({ message: `Each plugin entry must be an object, not ${describeJsonType(entry)}.`, span: json.locate(["plugins", i]), reason: "invalid_structure" });
        return;
      }
      if (typeof entry.name !== "string" || entry.name.trim() === "") {
        report({ message: "This plugin entry has no `name`.", span: json.locate(["plugins", i, "name"]) });
      } else if (seen.has(entry.name)) {
        report({
          message: `The plugin name ${JSON.stringify(entry.name)} is listed twice (entries ${(seen.get(entry.name) as number) + 1} and ${i + 1}).`,
          span: json.locate(["plugins", i, "name"]),
          reason: "invalid_field",
        });
      } else seen.set(entry.name, i);
      if (!("source" in entry)) {
        report({ message: `The plugin ${JSON.stringify(entry.name ?? i + 1)} has no \`source\`.`, span: json.locate(["plugins", i]) });
      } else if (typeof entry.source !== "string" && !isObject(entry.source)) {
        report({ message: `\`source\` must be a path such as "./plugins/x" or an object such as {"source": "github", "repo": "owner/name"}, not ${describeJsonType(entry.source)}.`, span: json.locate(["plugins", i, "source"]), reason: "invalid_field" });
      }
    });
  },
};

export const marketplaceLocalSources: Rule = {
  id: "marketplace/local-source-exists",
  description: "Every plugin a marketplace lists by a relative path is a folder that exists in the repository.",
  types: ["marketplace"],
  reason: "broken_reference",
  severity: always("error"),
  check({ artifact, json, files, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    for (const { index, source, dir } of localPluginSources(artifact.path, json.value)) {
      if (dir === null) {
        report({ message: `The source ${JSON.stringify(source)} points outside the repository.`, span: json.locate(["plugins", index, "source"]) });
      } else if (!files.hasFolder(dir)) {
        report({ message: `The source ${JSON.stringify(source)} points at ${dir || "."}, which holds no files.`, span: json.locate(["plugins", index, "source"]) });
      }
    }
  },
};

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
