import type { Artifact, ArtifactType } from "../model.js";
import type { ComponentType } from "../manifest/plugin.js";
import type { InlineComponentHint, NamedComponentHint, ReplacedDefaultHint } from "./hints.js";
import { basename, dirname, filesUnder, hasFilesUnder, isWithin, join } from "./paths.js";

export interface DiscoverOptions {
  /** Names the root when a key needs a folder name and the root has none of its own. */
  repoName: string;
  /** Plugin folders that a marketplace lists (found by reading `marketplace.json` first). */
  listedPluginDirs?: Iterable<string>;
  /**
   * Component files and folders that plugin manifests name, beside or instead of the default
   * folders (found by reading each `plugin.json` first), with the plugin folder that names each.
   */
  namedComponents?: Iterable<NamedComponentHint>;
  /** Default component folders that plugin manifests turn off by naming their own paths instead. */
  replacedDefaults?: Iterable<ReplacedDefaultHint>;
  /** Server maps that `strict: false` marketplace entries write inline for their plugin folders. */
  inlineComponents?: Iterable<InlineComponentHint>;
}

/** Files that sit beside artifacts but never are one. */
const NOT_ARTIFACTS = /^(readme|changelog|license|licence|contributing|code_of_conduct|security|notice|authors|history)(\.[a-z]+)?$/i;

const PLUGIN_MANIFEST = ".claude-plugin/plugin.json";
const MARKETPLACE_MANIFEST = ".claude-plugin/marketplace.json";
const NESTED_PLUGIN_MANIFEST = `/${PLUGIN_MANIFEST}`;
const NESTED_MARKETPLACE_MANIFEST = `/${MARKETPLACE_MANIFEST}`;
const PLUGIN_COMPONENTS = ["skills", "commands", "agents", "hooks"];
const PROJECT_FOLDER = ".claude";
const PROJECT_PREFIX = `${PROJECT_FOLDER}/`;
const NESTED_PROJECT = `/${PROJECT_FOLDER}/`;
/** Types a plugin keeps in one file each (`hook:<plugin>`): a file named elsewhere is keyed by its path in the plugin. */
const PER_FILE_TYPES: ReadonlySet<ComponentType> = new Set(["hook", "mcp", "lsp", "monitor", "module"]);
/** The default places componentAt knows: a file in any other folder is none of its components. */
const COMPONENT_FOLDERS: ReadonlySet<string> = new Set(["commands", "agents", "output-styles", "themes", "workflows", "bin"]);

/**
 * What Claude Code loads from the default places of a plugin (and of a project's `.claude/`),
 * by the path inside it: the type, and the part of the path that names the component.
 */
function componentAt(inside: string, scope: "plugin" | "project"): { type: ComponentType; name: string; hasManifest: boolean } | null {
  const slash = inside.indexOf("/");
  const folder = slash === -1 ? "" : inside.slice(0, slash);
  if (!COMPONENT_FOLDERS.has(folder)) return null;
  const name = basename(inside);
  const stem = name.replace(/\.[^.]+$/, "");
  if (name.endsWith(".md") && !NOT_ARTIFACTS.test(name)) {
    if (folder === "commands") return { type: "command", name: stem, hasManifest: true };
    if (folder === "agents") return { type: "agent", name: stem, hasManifest: true };
    if (folder === "output-styles") return { type: "output-style", name: stem, hasManifest: true };
  }
  if (scope === "project") return null;
  const depth = inside.split("/").length;
  if (folder === "themes" && depth === 2 && name.endsWith(".json")) return { type: "theme", name: stem, hasManifest: true };
  if (folder === "workflows" && depth === 2 && name.endsWith(".js")) return { type: "workflow", name: stem, hasManifest: true };
  if (folder === "bin" && depth === 2) return { type: "bin", name, hasManifest: false };
  return null;
}

/**
 * Recognises the artifacts in a sorted file listing. Everything here is decided from paths (and
 * the manifests that list paths), so the same keys come out of a working tree, a partial clone
 * or one recursive tree listing.
 *
 * Three scopes: a project's `.claude/` folder (never a plugin's, whatever encloses it), a plugin
 * folder (only what Claude Code loads from it: its default component places and what its
 * plugin.json names), and everything else, where skills, `commands/` and `agents/` folders are
 * indexed as a library of loose artifacts.
 */
export function discover(files: readonly string[], options: DiscoverOptions): Artifact[] {
  const fileSet = new Set(files);
  const pluginDirs = findPluginDirs(files, options.listedPluginDirs);
  // Walking up a path costs its depth; testing every plugin folder would cost their number.
  // Files of one folder share the answer, so each folder walks up once.
  const enclosing = new Map<string, string | null>();
  const enclosingPlugin = (dir: string): string | null => {
    let found = enclosing.get(dir);
    if (found === undefined) {
      for (let d = dir; ; d = dirname(d)) {
        if (pluginDirs.has(d)) {
          found = d;
          break;
        }
        if (d === "") {
          found = null;
          break;
        }
      }
      enclosing.set(dir, found);
    }
    return found;
  };
  const replaced = new Set([...(options.replacedDefaults ?? [])].map(({ pluginDir, type }) => `${pluginDir}\0${type}`));
  const named = [...(options.namedComponents ?? [])];
  const namesSkills = new Set(named.filter((n) => n.type === "skill").map((n) => n.pluginDir));
  const folderName = (dir: string): string => (dir === "" ? options.repoName : basename(dir));
  const inPlugin = (plugin: string, name: string): { name: string; plugin: string } => ({ name: `${folderName(plugin)}/${name}`, plugin: `plugin:${folderName(plugin)}` });
  const loose = { plugin: null };

  const artifacts: Artifact[] = [];
  const byManifest = new Map<string, Artifact>();
  const add = (type: ArtifactType, ns: { name: string; plugin: string | null }, path: string, manifest: string | null, own: string[], tentative = false): Artifact => {
    const artifact: Artifact = { key: `${type}:${ns.name}`, type, name: ns.name, path, manifest, files: own, plugin: ns.plugin };
    if (tentative) artifact.tentative = true;
    artifacts.push(artifact);
    byManifest.set(manifest ?? path, artifact);
    return artifact;
  };

  for (const dir of pluginDirs) {
    const manifest = join(dir, PLUGIN_MANIFEST);
    if (fileSet.has(manifest)) add("plugin", { name: folderName(dir), plugin: null }, dir, manifest, [manifest]);
    else add("plugin", { name: folderName(dir), plugin: null }, dir, null, []);
  }

  const skillDirs = new Set<string>();
  for (const file of files) {
    // Most files are no skill file: their ending says so before their name is cut out.
    if ((file.endsWith("SKILL.md") || file.endsWith("skill.md")) && isSkillFile(file, fileSet)) skillDirs.add(dirname(file));
  }
  const insideSkill = (file: string): boolean => {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (skillDirs.has(dir)) return true;
      if (dir === "") return false;
    }
  };

  // A sorted listing gives a folder's files one after another: what depends on the folder alone
  // (its path, its `.claude/`, its plugin) is worked out when the folder changes.
  let folder: string | null = null;
  let dir = "";
  let project: string | null = null;
  let plugin: string | null = null;
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    if (!inFolder(file, slash, folder)) {
      folder = file.slice(0, slash + 1);
      dir = folder.slice(0, -1);
      project = projectFolder(file);
      plugin = project === null ? enclosingPlugin(dir) : null;
    }
    const name = slash === -1 ? file : file.slice(slash + 1);
    if (file === MARKETPLACE_MANIFEST || file.endsWith(NESTED_MARKETPLACE_MANIFEST)) {
      const root = dirname(dirname(file));
      add("marketplace", { name: folderName(root), plugin: null }, root, file, [file]);
      continue;
    }
    if (project !== null) {
      // `.claude/` is the project's own scope, even inside a plugin folder or a repository that is one.
      const owner = dirname(project);
      const inside = file.slice(project.length + 1);
      if (inside === "settings.json") {
        add("hook", { name: owner === "" ? "project" : folderName(owner), plugin: null }, file, file, [file], true);
      } else if (inside.startsWith("skills/") && skillDirs.has(dir) && isSkillFile(file, fileSet)) {
        add("skill", { name: basename(dir), ...loose }, dir, file, skillFiles(files, dir, file));
      } else {
        const component = componentAt(inside, "project");
        if (component) add(component.type, { name: component.name, ...loose }, file, file, [file]);
      }
      continue;
    }
    if ((file === ".mcp.json" || file === "mcp.json") && plugin === null) {
      // The MCP file at the root sits beside the project's `.claude/`: the project's servers. At
      // the root of a repository that is a plugin, Claude Code's loader reads it as the plugin's.
      add("mcp", { name: "project", ...loose }, file, file, [file], name === "mcp.json");
      continue;
    }
    if (plugin !== null) {
      const inside = plugin === "" ? file : file.slice(plugin.length + 1);
      if (inside === "hooks/hooks.json") add("hook", { name: folderName(plugin), plugin: `plugin:${folderName(plugin)}` }, file, file, [file]);
      else if (inside === ".mcp.json" || inside === "mcp.json") add("mcp", { name: folderName(plugin), plugin: `plugin:${folderName(plugin)}` }, file, file, [file], name === "mcp.json");
      else if (inside === ".lsp.json") add("lsp", { name: folderName(plugin), plugin: `plugin:${folderName(plugin)}` }, file, file, [file]);
      else if (inside === "monitors/monitors.json") add("monitor", { name: folderName(plugin), plugin: `plugin:${folderName(plugin)}` }, file, file, [file]);
      else if (/^skills\/[^/]+\/SKILL\.md$/.test(inside)) add("skill", inPlugin(plugin, basename(dir)), dir, file, skillFiles(files, dir, file));
      else if (inside === "SKILL.md" && !hasFilesUnder(files, join(plugin, "skills")) && !namesSkills.has(plugin)) {
        // A plugin with no skills/ folder and no `skills` list is itself one skill when its root holds SKILL.md.
        add("skill", inPlugin(plugin, folderName(plugin)), plugin, file, skillFiles(files, plugin, file));
      } else {
        // The default places are the plugin's own, even when its folder is also a skill's.
        const component = componentAt(inside, "plugin");
        if (component && !replaced.has(`${plugin}\0${component.type}`)) add(component.type, inPlugin(plugin, component.name), file, component.hasManifest ? file : null, [file]);
      }
      continue;
    }
    if (skillDirs.has(dir) && isSkillFile(file, fileSet)) {
      add("skill", { name: folderName(dir), ...loose }, dir, file, skillFiles(files, dir, file));
      continue;
    }
    if (name === "hooks.json" && basename(dir) === "hooks") {
      const owner = dirname(dir);
      add("hook", { name: owner === "" ? "project" : folderName(owner), ...loose }, file, file, [file]);
      continue;
    }
    if (!name.endsWith(".md") || NOT_ARTIFACTS.test(name) || insideSkill(file)) continue;
    const type = componentFolderType(dir);
    if (type) add(type, { name: name.slice(0, -3), ...loose }, file, file, [file]);
  }

  // A component the manifest names is one whatever it holds, beside the default places. Its key
  // takes its file name (or, for hooks, MCP and LSP files, its path inside the plugin, so that
  // `hook:<plugin>` stays the key of hooks/hooks.json whatever else the plugin names).
  for (const hint of named) {
    if (!pluginDirs.has(hint.pluginDir) || !isWithin(hint.path, hint.pluginDir)) continue;
    for (const component of namedComponentFiles(hint, files, fileSet)) {
      const existing = byManifest.get(component.manifest ?? component.path);
      if (existing) {
        if (existing.type === hint.type) delete existing.tentative;
        continue;
      }
      const inside = hint.pluginDir === "" ? component.path : component.path.slice(hint.pluginDir.length + 1);
      const name = PER_FILE_TYPES.has(hint.type) ? inside : component.name;
      add(hint.type, inPlugin(hint.pluginDir, name), component.path, component.manifest, component.files);
    }
  }

  // A marketplace entry that is its plugin's manifest (`strict: false`) may define its servers.
  for (const inline of options.inlineComponents ?? []) {
    if (!pluginDirs.has(inline.pluginDir)) continue;
    const artifact = add(inline.type, { name: folderName(inline.pluginDir), plugin: `plugin:${folderName(inline.pluginDir)}` }, inline.pluginDir, inline.file, [inline.file]);
    artifact.definedAt = inline.at;
  }

  // `.mcp.json` wins over `mcp.json` in the same folder: the second is only a file then.
  const mcpDirs = new Set(artifacts.filter((a) => a.type === "mcp" && !a.tentative).map((a) => dirname(a.path)));
  return artifacts.filter((a) => !(a.type === "mcp" && a.tentative && mcpDirs.has(dirname(a.path))));
}

/** The components one named path stands for: the file itself, or what its folder holds. */
function namedComponentFiles(named: NamedComponentHint, files: readonly string[], fileSet: ReadonlySet<string>): { name: string; path: string; manifest: string | null; files: string[] }[] {
  const { type, path } = named;
  if (type === "skill") {
    // A skills entry is a skill's folder, or a folder of skill folders.
    const own = [join(path, "SKILL.md"), join(path, "skill.md")].find((f) => fileSet.has(f));
    if (own) return [{ name: basename(path), path, manifest: own, files: skillFiles(files, path, own) }];
    return filesUnder(files, path)
      .filter((f) => dirname(dirname(f)) === path && isSkillFile(f, fileSet))
      .map((f) => ({ name: basename(dirname(f)), path: dirname(f), manifest: f, files: skillFiles(files, dirname(f), f) }));
  }
  const one = (f: string) => ({ name: basename(f).replace(/\.[^.]+$/, ""), path: f, manifest: f, files: [f] });
  if (fileSet.has(path)) return [one(path)];
  // A folder: Markdown files at any depth for commands and output styles, the folder's own
  // `.json` themes and `.js` workflows; other types name files only.
  const inFolder = filesUnder(files, path);
  if (type === "command" || type === "output-style") return inFolder.filter((f) => f.endsWith(".md") && !NOT_ARTIFACTS.test(basename(f))).map(one);
  if (type === "theme") return inFolder.filter((f) => dirname(f) === path && f.endsWith(".json")).map(one);
  if (type === "workflow") return inFolder.filter((f) => dirname(f) === path && f.endsWith(".js")).map(one);
  return [];
}

function isSkillFile(file: string, fileSet: ReadonlySet<string>): boolean {
  const name = basename(file);
  return name === "SKILL.md" || (name === "skill.md" && !fileSet.has(join(dirname(file), "SKILL.md")));
}

/** A skill's files, its SKILL.md first. */
function skillFiles(files: readonly string[], dir: string, manifest: string): string[] {
  const own = filesUnder(files, dir);
  const at = own.indexOf(manifest);
  if (at > 0) own.copyWithin(1, 0, at);
  if (at !== -1) own[0] = manifest;
  else own.unshift(manifest);
  return own;
}

/**
 * Whether a file, whose last slash is at `slash`, lies directly in `folder` (a path up to and
 * including its final slash, "" for the root): in a sorted listing, the folder of the file before.
 */
function inFolder(file: string, slash: number, folder: string | null): boolean {
  return folder !== null && slash === folder.length - 1 && file.startsWith(folder);
}

/** The `.claude` folder a path lies in, or null. */
function projectFolder(file: string): string | null {
  if (file.startsWith(PROJECT_PREFIX)) return PROJECT_FOLDER;
  const at = file.lastIndexOf(NESTED_PROJECT);
  return at === -1 ? null : file.slice(0, at + PROJECT_FOLDER.length + 1);
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

const PLUGINS_LAYOUT = /^(?:(.*)\/)?plugins\/([^/]+)\/([^/]+)\//;

function findPluginDirs(files: readonly string[], listed: Iterable<string> = []): Set<string> {
  const dirs = new Set<string>();
  const add = (dir: string): void => {
    if (projectFolder(`${dir}/`) === null) dirs.add(dir);
  };
  for (const file of files) {
    if (file === PLUGIN_MANIFEST || file.endsWith(NESTED_PLUGIN_MANIFEST)) add(dirname(dirname(file)));
  }
  for (const dir of listed) {
    if (hasFilesUnder(files, dir)) add(dir);
  }
  // The conventional layout: plugins/<name>/ holding at least one component folder. The pattern
  // ends at a slash, so it reads a file's folder alone: the files of one folder give one answer.
  let folder: string | null = null;
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    if (inFolder(file, slash, folder)) continue;
    folder = file.slice(0, slash + 1);
    const match = folder.includes("plugins/") ? PLUGINS_LAYOUT.exec(folder) : null;
    if (match && PLUGIN_COMPONENTS.includes(match[3] as string)) {
      add(match[1] ? `${match[1]}/plugins/${match[2]}` : `plugins/${match[2]}`);
    }
  }
  return dirs;
}
