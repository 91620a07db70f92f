import type { Artifact, ArtifactType } from "../model.js";
import { basename, dirname, filesUnder, isWithin, join } from "./paths.js";

export interface DiscoverOptions {
  /** Names the root when a key needs a folder name and the root has none of its own. */
  repoName: string;
  /** Plugin folders that a marketplace lists (found by reading `marketplace.json` first). */
  listedPluginDirs?: Iterable<string>;
  /**
   * Hooks and MCP files that plugin manifests name outside the conventional places (found by
   * reading each `plugin.json` first), with the plugin folder that names each.
   */
  namedConfigFiles?: Iterable<{ pluginDir: string; type: "hook" | "mcp"; path: string }>;
}

/** Files that sit beside artifacts but never are one. */
const NOT_ARTIFACTS = /^(readme|changelog|license|licence|contributing|code_of_conduct|security|notice|authors|history)(\.[a-z]+)?$/i;

const PLUGIN_MANIFEST = ".claude-plugin/plugin.json";
const MARKETPLACE_MANIFEST = ".claude-plugin/marketplace.json";
const PLUGIN_COMPONENTS = ["skills", "commands", "agents", "hooks"];

/**
 * Recognises the artifacts in a sorted file listing. Everything here is decided from paths, so
 * the same keys come out of a working tree, a partial clone or one recursive tree listing.
 */
export function discover(files: readonly string[], options: DiscoverOptions): Artifact[] {
  const fileSet = new Set(files);
  const pluginDirs = findPluginDirs(files, options.listedPluginDirs);
  // Walking up a path costs its depth; testing every plugin folder would cost their number.
  const enclosingPlugin = (dir: string): string | null => {
    for (let d = dir; ; d = dirname(d)) {
      if (pluginDirs.has(d)) return d;
      if (d === "") return null;
    }
  };
  const folderName = (dir: string): string => (dir === "" ? options.repoName : basename(dir));
  const namespaced = (dir: string, name: string): { name: string; plugin: string | null } => {
    const plugin = enclosingPlugin(dir);
    return plugin === null ? { name, plugin: null } : { name: `${folderName(plugin)}/${name}`, plugin: `plugin:${folderName(plugin)}` };
  };

  const artifacts: Artifact[] = [];
  const add = (type: ArtifactType, ns: { name: string; plugin: string | null }, path: string, manifest: string | null, own: string[], tentative = false): void => {
    const artifact: Artifact = { key: `${type}:${ns.name}`, type, name: ns.name, path, manifest, files: own, plugin: ns.plugin };
    if (tentative) artifact.tentative = true;
    artifacts.push(artifact);
  };

  for (const dir of pluginDirs) {
    const manifest = join(dir, PLUGIN_MANIFEST);
    if (fileSet.has(manifest)) add("plugin", { name: folderName(dir), plugin: null }, dir, manifest, [manifest]);
    else add("plugin", { name: folderName(dir), plugin: null }, dir, null, []);
  }

  const skillDirs = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    if (name === "SKILL.md" || (name === "skill.md" && !fileSet.has(join(dirname(file), "SKILL.md")))) skillDirs.add(dirname(file));
  }
  const insideSkill = (file: string): boolean => {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (skillDirs.has(dir)) return true;
      if (dir === "") return false;
    }
  };

  for (const file of files) {
    const name = basename(file);
    const dir = dirname(file);
    if (file.endsWith(MARKETPLACE_MANIFEST) && (file === MARKETPLACE_MANIFEST || file.endsWith(`/${MARKETPLACE_MANIFEST}`))) {
      const root = dirname(dirname(file));
      add("marketplace", { name: folderName(root), plugin: null }, root, file, [file]);
      continue;
    }
    if (skillDirs.has(dir) && (name === "SKILL.md" || (name === "skill.md" && !fileSet.has(join(dir, "SKILL.md"))))) {
      const own = filesUnder(files, dir);
      add("skill", namespaced(dir, folderName(dir)), dir, file, [file, ...own.filter((f) => f !== file)]);
      continue;
    }
    if (name === "hooks.json" && basename(dir) === "hooks") {
      const owner = dirname(dir);
      const plugin = enclosingPlugin(owner);
      const hookName = plugin !== null ? folderName(plugin) : owner === "" ? "project" : folderName(owner);
      add("hook", { name: hookName, plugin: plugin === null ? null : `plugin:${folderName(plugin)}` }, file, file, [file]);
      continue;
    }
    if (name === "settings.json" && basename(dir) === ".claude") {
      const owner = dirname(dir);
      add("hook", { name: owner === "" ? "project" : folderName(owner), plugin: null }, file, file, [file], true);
      continue;
    }
    if ((name === ".mcp.json" || name === "mcp.json") && (dir === "" || pluginDirs.has(dir))) {
      const plugin = pluginDirs.has(dir) ? dir : null;
      const mcpName = plugin !== null ? folderName(plugin) : "project";
      add("mcp", { name: mcpName, plugin: plugin === null ? null : `plugin:${folderName(plugin)}` }, file, file, [file], name === "mcp.json");
      continue;
    }
    if (!name.endsWith(".md") || NOT_ARTIFACTS.test(name) || insideSkill(file)) continue;
    const type = componentFolderType(dir);
    if (type) add(type, namespaced(dir, name.slice(0, -3)), file, file, [file]);
  }

  // `.mcp.json` wins over `mcp.json` in the same folder: the second is only a file then.
  const mcpDirs = new Set(artifacts.filter((a) => a.type === "mcp" && !a.tentative).map((a) => dirname(a.path)));
  const found = artifacts.filter((a) => !(a.type === "mcp" && a.tentative && mcpDirs.has(dirname(a.path))));

  // A file the manifest names is an artifact whatever it holds. Its key takes its path inside
  // the plugin, so it never changes with what else the plugin holds (`hook:<plugin>` stays the
  // key of hooks/hooks.json).
  const byManifest = new Map(found.map((a) => [a.manifest, a]));
  for (const named of options.namedConfigFiles ?? []) {
    if (!fileSet.has(named.path) || !pluginDirs.has(named.pluginDir) || !isWithin(named.path, named.pluginDir)) continue;
    const existing = byManifest.get(named.path);
    if (existing) {
      if (existing.type === named.type) delete existing.tentative;
      continue;
    }
    const plugin = folderName(named.pluginDir);
    const inside = named.pluginDir === "" ? named.path : named.path.slice(named.pluginDir.length + 1);
    const artifact: Artifact = { key: `${named.type}:${plugin}/${inside}`, type: named.type, name: `${plugin}/${inside}`, path: named.path, manifest: named.path, files: [named.path], plugin: `plugin:${plugin}` };
    found.push(artifact);
    byManifest.set(named.path, artifact);
  }
  return found;
}

/** `commands` or `agents`, from the nearest folder of either name above a file. */
function componentFolderType(dir: string): "command" | "agent" | null {
  for (let d = dir; d !== ""; d = dirname(d)) {
    const name = basename(d);
    if (name === "commands") return "command";
    if (name === "agents") return "agent";
  }
  return null;
}

function findPluginDirs(files: readonly string[], listed: Iterable<string> = []): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    if (file === PLUGIN_MANIFEST || file.endsWith(`/${PLUGIN_MANIFEST}`)) dirs.add(dirname(dirname(file)));
  }
  for (const dir of listed) {
    if (filesUnder(files, dir).length > 0) dirs.add(dir);
  }
  // The conventional layout: plugins/<name>/ holding at least one component folder.
  for (const file of files) {
    const match = /^(?:(.*)\/)?plugins\/([^/]+)\/([^/]+)\//.exec(file);
    if (match && PLUGIN_COMPONENTS.includes(match[3] as string)) {
      dirs.add(match[1] ? `${match[1]}/plugins/${match[2]}` : `plugins/${match[2]}`);
    }
  }
  return dirs;
}
