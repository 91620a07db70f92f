/**
 * How far skilldex's index is from what Claude Code's own loader loads, on real repositories.
 *
 *   npm run build
 *   node lib/scripts/loader-parity.js --claude /path/to/node_modules/.bin/claude [--jobs 8] \
 *     [--cache /tmp/loader-oracle.json] [--list] CORPUS_DIR...
 *
 * For each CORPUS_DIR (a checkout of a repository) it runs `skilldex scan DIR --format json`
 * (lib/src/cli/main.js of this build) and Claude Code on every plugin folder (each folder holding
 * `.claude-plugin/plugin.json`, validated as `claude plugin validate --json DIR/.claude-plugin/plugin.json`,
 * and each `strict: false` marketplace entry with a local source, loaded by `claude plugin install`
 * from a copy of the marketplace and listed by `claude plugin details`) and on the folder itself
 * (the marketplace verdict). It prints the figures of issue 11's "Done when": components Claude
 * Code provides that skilldex discovers, components skilldex reports that Claude Code does not load,
 * marketplace verdicts that agree, and component types Claude Code provides that skilldex does not
 * index. `--cache FILE` keeps Claude Code's answers between runs (they do not depend on skilldex);
 * delete it after changing a corpus. `--list` also prints every missing and extra component.
 *
 * The same matching is used by test/rules/claude-code-loader-parity.test.ts; it is defined here.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Claude Code's `provides` keys and the skilldex artifact type each becomes. */
export const PROVIDED_TYPES = {
  agents: "agent",
  commands: "command",
  skills: "skill",
  hooks: "hook",
  mcpServers: "mcp",
  lspServers: "lsp",
  outputStyles: "output-style",
  monitors: "monitor",
  themes: "theme",
  workflows: "workflow",
  bin: "bin",
  modules: "module",
} as const;
export type ProvidedKey = keyof typeof PROVIDED_TYPES;
export type ComponentType = (typeof PROVIDED_TYPES)[ProvidedKey];
const PROVIDED_KEYS = Object.keys(PROVIDED_TYPES) as ProvidedKey[];

/** Types whose components are entries of a file (a hook, a server), matched by the file they come from. */
const ENTRY_TYPES: ReadonlySet<ComponentType> = new Set(["hook", "mcp", "lsp", "monitor", "module"]);

export type Provides = Partial<Record<ProvidedKey, unknown[]>>;

/** What Claude Code answered for one folder. */
export interface OracleAnswer {
  /** `validate`: `claude plugin validate --json`; `details`: `claude plugin install` + `claude plugin details`. */
  command: "validate" | "details";
  success: boolean;
  /** `path: message` of each manifest error. */
  manifestErrors: string[];
  /** `file: path: message` of each contents error, the file relative to the folder validated. */
  contentErrors: string[];
  /** null when Claude Code lists nothing: the folder is no plugin, has an error, or a component fails to load. */
  provides: Provides | null;
}

/** One component Claude Code provides, with what a skilldex artifact can be matched on. */
export interface Component {
  type: ComponentType;
  /** The last part of Claude Code's name (`plugin:ns:name` gives `name`); the server or event name for entries. */
  name: string;
  /** The middle parts of `plugin:ns1:ns2:name` (sub-folders of `agents/` and `commands/`). */
  namespace: string[];
  /** For entry types: the files (relative to the scanned root) the entry comes from; empty when unknown. */
  sources: string[];
}

/** The part of a skilldex report artifact that matching reads. */
export interface ArtifactLike {
  key: string;
  type: string;
  name: string;
  path: string;
  files: string[];
  status: string;
}

/** A plugin.json, or a `strict: false` marketplace entry (which is the plugin's manifest then). */
export type Manifest = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const joinPath = (dir: string, path: string): string => posix.normalize(dir === "" ? path : `${dir}/${path}`).replace(/^\.\//, "");

/**
 * The components of a `provides`, each with the files it can come from. Entries (hooks, servers,
 * monitors) are traced to the files of the plugin that declare them: the default file, the files
 * the manifest names, or the manifest itself for inline declarations.
 */
export function componentsOf(provides: Provides, plugin: { dir: string; manifest: Manifest; manifestPath: string; readJson: (path: string) => unknown }): Component[] {
  const { dir, manifest, manifestPath, readJson } = plugin;
  /** The default files that exist, then what the manifest field names: a path, an inline value, or a list of both. */
  const declared = (field: unknown, defaults: string[]): Array<{ source: string; value: unknown; inline: boolean }> => {
    const found = defaults.map((path) => ({ source: joinPath(dir, path), value: readJson(joinPath(dir, path)), inline: false })).filter((d) => d.value !== undefined);
    for (const item of Array.isArray(field) ? field : field === undefined ? [] : [field]) {
      found.push(typeof item === "string" ? { source: joinPath(dir, item), value: readJson(joinPath(dir, item)), inline: false } : { source: manifestPath, value: item, inline: true });
    }
    return found;
  };
  const experimental = isRecord(manifest.experimental) ? manifest.experimental : {};
  const components: Component[] = [];
  for (const key of PROVIDED_KEYS) {
    const type = PROVIDED_TYPES[key];
    for (const item of provides[key] ?? []) {
      if (typeof item === "string") {
        const parts = key === "bin" ? [item] : item.split(":").slice(1);
        const name = parts.at(-1) ?? item;
        // `"commands": {"hello": {"source": "./m.md"}}` names the command after the key, not the file.
        const named = key === "commands" && isRecord(manifest.commands) && parts.length === 1 ? manifest.commands[name] : undefined;
        const sources = isRecord(named) && typeof named.source === "string" ? [joinPath(dir, named.source)] : [];
        components.push({ type, name, namespace: parts.slice(0, -1), sources });
        continue;
      }
      if (!isRecord(item)) continue;
      if (key === "modules") {
        const path = joinPath(dir, String(item.path));
        // The hooks files that name modules are read for them, whether or not they hold hooks.
        const naming = declared(manifest.hooks, ["hooks/hooks.json"]).filter(({ value }) => isRecord(value) && Array.isArray(value.modules)).map((d) => d.source);
        components.push({ type, name: path, namespace: [], sources: [path, ...naming] });
      } else if (key === "hooks") {
        const wanted = hookId(String(item.event), item);
        const sources = declared(manifest.hooks, ["hooks/hooks.json"])
          .filter(({ value, inline }) => hookIds(inline ? value : isRecord(value) ? value.hooks : undefined).has(wanted))
          .map((d) => d.source);
        components.push({ type, name: String(item.event), namespace: [], sources: [...new Set(sources)] });
      } else if (key === "mcpServers" || key === "lspServers") {
        const name = String(item.name);
        const defaults = key === "mcpServers" ? [".mcp.json"] : [".lsp.json"];
        const sources = declared(manifest[key], defaults)
          .filter(({ value }) => serverNames(value).has(name))
          .map((d) => d.source);
        components.push({ type, name, namespace: [], sources: [...new Set(sources)] });
      } else if (key === "monitors") {
        const name = String(item.name);
        const field = experimental.monitors ?? manifest.monitors;
        const candidates =
          typeof field === "string"
            ? [{ source: joinPath(dir, field), value: readJson(joinPath(dir, field)) }]
            : field === undefined
              ? [{ source: joinPath(dir, "monitors/monitors.json"), value: readJson(joinPath(dir, "monitors/monitors.json")) }]
              : [{ source: manifestPath, value: field }];
        const sources = candidates.filter(({ value }) => Array.isArray(value) && value.some((m) => isRecord(m) && m.name === name)).map((c) => c.source);
        components.push({ type, name, namespace: [], sources });
      } else {
        components.push({ type, name: String(item.name ?? ""), namespace: [], sources: [] });
      }
    }
  }
  return components;
}

function hookId(event: string, hook: Record<string, unknown>): string {
  return [event, hook.type, hook.command ?? hook.url ?? hook.prompt ?? ""].map(String).join("\u0000");
}

function hookIds(events: unknown): Set<string> {
  const ids = new Set<string>();
  if (!isRecord(events)) return ids;
  for (const [event, groups] of Object.entries(events)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      if (!isRecord(group) || !Array.isArray(group.hooks)) continue;
      for (const hook of group.hooks) if (isRecord(hook)) ids.add(hookId(event, hook));
    }
  }
  return ids;
}

function serverNames(value: unknown): Set<string> {
  if (!isRecord(value)) return new Set();
  return new Set(Object.keys(isRecord(value.mcpServers) ? value.mcpServers : isRecord(value.lspServers) ? value.lspServers : value));
}

/** The `name` in a Markdown file's frontmatter, read as leniently as Claude Code reads it. */
export function frontmatterName(text: string | undefined): string | undefined {
  const block = text === undefined ? null : /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const line = block?.[1] === undefined ? null : /^name:[ \t]*(.*?)[ \t]*$/m.exec(block[1]);
  const value = line?.[1]?.replace(/^(["'])(.*)\1$/, "$2");
  return value === undefined || value === "" ? undefined : value;
}

/** The `meta.name` a workflow module exports. */
export function workflowName(text: string | undefined): string | undefined {
  const match = text === undefined ? null : /meta\s*=\s*\{[\s\S]*?\bname\s*:\s*(["'`])(.*?)\1/.exec(text);
  return match?.[2];
}

export interface PluginScope {
  /** The plugin folder, relative to the scanned root ("" for the root). */
  dir: string;
  /** Names a skilldex key may give the plugin: its folder name, and the name Claude Code gives it. */
  names: string[];
  readText: (path: string) => string | undefined;
  /** Where the plugin's own artifacts may sit; anywhere when not given (a folder holding one plugin). */
  owns?: (path: string) => boolean;
  /**
   * A `strict: false` entry whose source is the marketplace's own root: skilldex keys what it
   * lists as the root's loose artifacts (`skill:<folder>`), not under the entry's name.
   */
  looseKeys?: boolean;
}

/**
 * The artifacts skilldex gives the plugin: every component artifact whose key is namespaced by
 * the plugin (`<type>:<plugin>` or `<type>:<plugin>/...`). The project's `.claude/` is not the
 * plugin's, so an artifact from there keyed under the plugin counts against skilldex.
 */
export function artifactsOf<T extends ArtifactLike>(artifacts: readonly T[], scope: PluginScope): T[] {
  const owns = scope.owns ?? (() => true);
  // The plugin itself stands for what its plugin.json defines inline (hooks, servers, monitors).
  const own = (a: T): boolean => a.type === "plugin" && a.path === scope.dir;
  const keyed = (a: T): boolean => scope.names.some((n) => a.name === n || a.name.startsWith(`${n}/`)) || (scope.looseKeys === true && !a.name.includes("/"));
  return artifacts.filter((a) => own(a) || (a.type !== "plugin" && a.type !== "marketplace" && owns(a.path) && keyed(a)));
}

export interface Match {
  found: Component[];
  missing: Component[];
  /** Artifacts of the plugin that match no component Claude Code provides. */
  extra: ArtifactLike[];
}

/**
 * Pairs components with artifacts of the same type.
 * - Files Claude Code names by their contents (agents, skills, output styles, workflows) or by
 *   path (commands, themes, bin): an artifact matches when Claude Code's name is its file or
 *   folder name, its frontmatter `name`, its workflow `meta.name`, or the last part of its key;
 *   for agents and commands the sub-folders Claude Code puts in the name must be the folders
 *   above the file. A command plugin.json names by a key matches the file it points to. One
 *   component, one artifact.
 * - Entries (hooks, MCP and LSP servers, monitors, hooks modules): an artifact matches by name, or
 *   when it is the file the entry comes from (one file artifact covers all its entries).
 */
export function matchComponents(components: readonly Component[], artifacts: readonly ArtifactLike[], scope: PluginScope): Match {
  const used = new Set<ArtifactLike>();
  const found: Component[] = [];
  const missing: Component[] = [];
  for (const component of components) {
    const candidates = artifacts.filter((a) => a.type === component.type);
    const fromSource = (a: ArtifactLike): boolean => component.sources.some((s) => a.path === s || a.files.includes(s));
    const byName = candidates.find((a) => !used.has(a) && (namesOf(a, scope).has(component.name) ? namespaceFits(a, component) : fromSource(a)));
    // An entry written inline in plugin.json is the plugin artifact's to judge; one plugin covers all of them.
    const inline = ENTRY_TYPES.has(component.type) ? artifacts.find((a) => a.type === "plugin" && fromSource(a)) : undefined;
    const byFile = byName ?? (ENTRY_TYPES.has(component.type) ? candidates.find((a) => component.sources.length === 0 || fromSource(a)) : undefined) ?? inline;
    if (byFile === undefined) {
      missing.push(component);
      continue;
    }
    if (byFile !== inline) used.add(byFile);
    found.push(component);
  }
  const namesModules = (a: ArtifactLike): boolean => a.type === "hook" && found.some((c) => c.type === "module" && c.sources.slice(1).some((s) => a.path === s || a.files.includes(s)));
  return { found, missing, extra: artifacts.filter((a) => !used.has(a) && !namesModules(a) && (Object.values(PROVIDED_TYPES) as string[]).includes(a.type)) };
}

function namesOf(artifact: ArtifactLike, scope: PluginScope): Set<string> {
  const file = artifact.files[0] ?? artifact.path;
  const base = basename(artifact.path);
  const names = new Set([base, base.replace(/\.(md|json|js)$/, ""), artifact.name.split("/").at(-1) ?? artifact.name]);
  const text = scope.readText(artifact.type === "skill" && !file.endsWith(".md") ? joinPath(artifact.path, "SKILL.md") : file);
  const named = file.endsWith(".js") ? workflowName(text) : frontmatterName(text);
  if (named !== undefined) names.add(named);
  return names;
}

function namespaceFits(artifact: ArtifactLike, component: Component): boolean {
  if (component.namespace.length === 0) return true;
  const folders = posix.dirname(artifact.path).split("/");
  return folders.slice(-component.namespace.length).join("/") === component.namespace.join("/");
}

/** True when skilldex failed the plugin or any component it gives the plugin (but those in `except`). */
export function pluginFailed(artifacts: readonly ArtifactLike[], scope: PluginScope, except: readonly ArtifactLike[] = []): boolean {
  const own = artifactsOf(artifacts, scope).filter((a) => !except.includes(a));
  return own.some((a) => a.status === "failed");
}

/**
 * Artifacts skilldex fails that Claude Code's loader drops without its validator saying so: a
 * component it does not load (a workflow without `meta`), which skilldex reports as failed rather
 * than leave a maintainer wondering. They are neither extra components nor a verdict that differs.
 */
export function refusedAtLoad(match: Match): ArtifactLike[] {
  return match.extra.filter((a) => a.status === "failed");
}

/**
 * Whether Claude Code fails the plugin: its validator reports an error, or it passes the plugin
 * but its loader fails a component (then it provides nothing), which skilldex fails too.
 */
export function claudeFails(answer: { success: boolean; provides: Provides | null }): boolean {
  return !answer.success || answer.provides === null;
}

/**
 * The scope of a `strict: false` entry whose source is the marketplace's root: the paths its
 * component fields list (skilldex keys them as the root's loose artifacts).
 */
export function looseEntryScope(manifest: Manifest): (path: string) => boolean {
  const listed: string[] = [];
  for (const field of ["skills", "commands", "agents", "outputStyles"]) {
    const value = manifest[field];
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") listed.push(joinPath("", item).replace(/\/+$/, ""));
  }
  return (path) => listed.some((p) => path === p || path.startsWith(`${p}/`));
}

// ---------------------------------------------------------------------------------------------
// Asking Claude Code

/** Runs Claude Code with a fresh HOME, so nothing installed or logged in changes its answer. */
function runClaude(claude: string, args: string[], home?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ownHome = home ?? mkdtempSync(join(tmpdir(), "claude-home-"));
  return new Promise((done) => {
    execFile(claude, args, { env: { ...process.env, HOME: ownHome }, maxBuffer: 256 * 1024 * 1024, timeout: 180_000 }, (error, stdout, stderr) => {
      if (home === undefined) rmSync(ownHome, { recursive: true, force: true });
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 2;
      done({ code, stdout, stderr });
    });
  });
}

interface ValidateJson {
  success: boolean;
  manifest: { errors: Array<{ path: string; message: string }> } | null;
  contents: Array<{ file: string; errors: Array<{ path: string; message: string }> }>;
  provides: Provides | null;
}

/** `claude plugin validate --json TARGET`; file names in errors are made relative to `root`. */
export async function validateWithClaude(claude: string, target: string, root: string): Promise<OracleAnswer> {
  const run = await runClaude(claude, ["plugin", "validate", "--json", target]);
  let json: ValidateJson;
  try {
    json = JSON.parse(run.stdout) as ValidateJson;
  } catch {
    throw new Error(`claude plugin validate ${target} printed no JSON (exit ${run.code}): ${(run.stderr || run.stdout).slice(0, 300)}`);
  }
  const rel = (file: string): string => (file.startsWith("/") ? relative(root, file).split("\\").join("/") : file);
  return {
    command: "validate",
    success: json.success,
    manifestErrors: (json.manifest?.errors ?? []).map((e) => `${e.path}: ${e.message}`),
    contentErrors: json.contents.flatMap((c) => c.errors.map((e) => `${rel(c.file)}: ${e.path}: ${e.message}`)),
    provides: json.provides === null ? null : Object.fromEntries(PROVIDED_KEYS.map((k) => [k, json.provides?.[k] ?? []])),
  };
}

const DETAILS_TYPES: Record<string, ProvidedKey> = { Skills: "skills", Agents: "agents", Commands: "commands", Hooks: "hooks", "MCP servers": "mcpServers", "LSP servers": "lspServers" };

/**
 * What Claude Code loads for a `strict: false` marketplace entry, whose manifest is the entry
 * itself: `claude plugin validate` cannot load such a plugin from its folder, so the marketplace
 * is added (under a name no official marketplace reserves, the only change made to it) and the
 * plugin installed, and `claude plugin details` lists its skills, agents, hooks and servers.
 */
export async function loadEntryWithClaude(claude: string, marketplaceRoot: string, entry: Manifest): Promise<OracleAnswer> {
  const copy = mkdtempSync(join(tmpdir(), "claude-marketplace-"));
  const home = mkdtempSync(join(tmpdir(), "claude-home-"));
  try {
    cpSync(marketplaceRoot, copy, { recursive: true, filter: (src) => basename(src) !== ".git" && basename(src) !== "node_modules" });
    const manifestPath = join(copy, ".claude-plugin/marketplace.json");
    const marketplace = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    writeFileSync(manifestPath, JSON.stringify({ ...marketplace, name: "loader-oracle", plugins: [entry] }));
    const id = `${String(entry.name)}@loader-oracle`;
    const added = await runClaude(claude, ["plugin", "marketplace", "add", copy], home);
    const installed = added.code === 0 ? await runClaude(claude, ["plugin", "install", id], home) : added;
    if (installed.code !== 0) return { command: "details", success: false, manifestErrors: [`${(installed.stdout + installed.stderr).trim().slice(0, 500)}`], contentErrors: [], provides: null };
    const details = await runClaude(claude, ["plugin", "details", id], home);
    const provides: Provides = Object.fromEntries(PROVIDED_KEYS.map((k) => [k, []]));
    for (const line of details.stdout.split("\n")) {
      const match = /^ {2}([A-Za-z ]+?) \((\d+)\)(?: {2}(.*))?$/.exec(line);
      const key = match?.[1] === undefined ? undefined : DETAILS_TYPES[match[1]];
      if (key === undefined || match?.[3] === undefined) continue;
      const names = match[3].replace(/ {2}\(.*\)$/, "").split(", ").filter((n) => n !== "");
      provides[key] = key === "skills" || key === "agents" || key === "commands" ? names.map((n) => `${String(entry.name)}:${n}`) : names.map((name) => (key === "hooks" ? { event: name } : { name }));
    }
    return { command: "details", success: true, manifestErrors: [], contentErrors: [], provides };
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

/** Marketplace names under which Claude Code accepts plugin names reserved for Anthropic (`claude-…`). */
export const OFFICIAL_MARKETPLACES: ReadonlySet<string> = new Set([
  "claude-code-marketplace",
  "claude-code-plugins",
  "claude-plugins-official",
  "anthropic-marketplace",
  "anthropic-plugins",
  "agent-skills",
  "anthropic-agent-skills",
  "life-sciences",
  "knowledge-work-plugins",
  "claude-for-legal",
  "claude-for-financial-services",
  "financial-services-plugins",
  "first-party-plugins",
  "claude-tag-plugins",
  "healthcare",
]);

/** True when Claude Code refused the plugin for its reserved name and for nothing else. */
export function refusedOnlyForName(answer: OracleAnswer): boolean {
  return answer.manifestErrors.length > 0 && answer.contentErrors.length === 0 && answer.manifestErrors.every((e) => /^name: Plugin name .* is reserved/.test(e));
}

/**
 * What a plugin refused only for its reserved name provides: Claude Code lists nothing for a
 * plugin with an error, so a copy of its folder renamed `renamed-<name>` is validated instead.
 */
export async function validateRenamed(claude: string, pluginDir: string): Promise<OracleAnswer> {
  const copy = mkdtempSync(join(tmpdir(), "claude-plugin-"));
  try {
    cpSync(pluginDir, copy, { recursive: true, filter: (src) => basename(src) !== ".git" && basename(src) !== "node_modules" });
    const manifestPath = join(copy, ".claude-plugin/plugin.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, name: `renamed-${String(manifest.name)}` }));
    return await validateWithClaude(claude, manifestPath, copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Runs `work` over `items`, `jobs` at a time, keeping the order of `items`. */
export async function inParallel<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// Finding plugin folders in a checkout

/** Every file under `root`, relative and sorted, without `.git` and `node_modules`. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
    }
  };
  walk("");
  return out.sort();
}

export interface PluginFolder {
  dir: string;
  /** Listed by the repository's marketplace, or the repository's root: a plugin Claude Code would install. */
  listed: boolean;
  /** plugin.json's contents, or the marketplace entry for a `strict: false` entry. */
  manifest: Manifest;
  manifestPath: string;
  /** The marketplace entry when the plugin is a `strict: false` entry loaded from it. */
  entry?: Manifest;
}

export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Folders holding `.claude-plugin/plugin.json`, and local `strict: false` marketplace entries. */
export function pluginFolders(root: string, files: readonly string[]): PluginFolder[] {
  const folders: PluginFolder[] = files
    .filter((f) => f === ".claude-plugin/plugin.json" || f.endsWith("/.claude-plugin/plugin.json"))
    .map((manifestPath) => {
      const manifest = readJsonFile(join(root, manifestPath));
      return { dir: posix.dirname(posix.dirname(manifestPath)).replace(/^\.$/, ""), listed: false, manifest: isRecord(manifest) ? manifest : {}, manifestPath };
    });
  const marketplace = readJsonFile(join(root, ".claude-plugin/marketplace.json"));
  const plugins = isRecord(marketplace) && Array.isArray(marketplace.plugins) ? marketplace.plugins : [];
  const metadata = isRecord(marketplace) && isRecord(marketplace.metadata) ? marketplace.metadata : {};
  const listed = new Set([""]);
  for (const entry of plugins) {
    if (!isRecord(entry) || typeof entry.source !== "string") continue;
    const dir = entrySourceDir(entry.source, metadata.pluginRoot);
    listed.add(dir);
    if (entry.strict !== false || existsSync(join(root, dir, ".claude-plugin/plugin.json"))) continue;
    if (!existsSync(join(root, dir)) || !statSync(join(root, dir)).isDirectory()) continue;
    folders.push({ dir, listed: true, manifest: entry, manifestPath: ".claude-plugin/marketplace.json", entry });
  }
  for (const folder of folders) if (listed.has(folder.dir)) folder.listed = true;
  return folders;
}

/** The folder a local marketplace source names, relative to the marketplace root. */
export function entrySourceDir(source: string, pluginRoot: unknown): string {
  const base = typeof pluginRoot === "string" && !source.startsWith("./") ? pluginRoot : ".";
  const dir = posix.normalize(posix.join(base, source)).replace(/\/+$/, "");
  return dir === "." ? "" : dir;
}

// ---------------------------------------------------------------------------------------------
// The run

/** The figures of one set of plugins: discovered, extra and verdicts. */
class Tally {
  provided = 0;
  found = 0;
  extra = 0;
  plugins = 0;
  verdictsEqual = 0;

  add(other: Tally): void {
    this.provided += other.provided;
    this.found += other.found;
    this.extra += other.extra;
    this.plugins += other.plugins;
    this.verdictsEqual += other.verdictsEqual;
  }

  toString(): string {
    const pct = this.provided === 0 ? 100 : (100 * this.found) / this.provided;
    return `${this.plugins} plugins; Claude Code provides ${this.provided} components, skilldex discovers ${this.found} (${pct.toFixed(1)}%) and reports ${this.extra} it does not load; plugin verdicts equal ${this.verdictsEqual} of ${this.plugins}`;
  }
}

async function main(argv: string[]): Promise<void> {
  const args = { claude: "claude", jobs: 8, cache: null as string | null, list: false, corpora: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--claude") args.claude = argv[++i] ?? args.claude;
    else if (arg === "--jobs") args.jobs = Number(argv[++i]);
    else if (arg === "--cache") args.cache = argv[++i] ?? null;
    else if (arg === "--list") args.list = true;
    else args.corpora.push(resolve(arg));
  }
  if (args.corpora.length === 0) throw new Error("usage: loader-parity.js --claude BIN [--jobs N] [--cache FILE] [--list] CORPUS_DIR...");
  const cache: Record<string, OracleAnswer> = args.cache !== null && existsSync(args.cache) ? (JSON.parse(readFileSync(args.cache, "utf8")) as Record<string, OracleAnswer>) : {};
  const ask = async (key: string, run: () => Promise<OracleAnswer>): Promise<OracleAnswer> => (cache[key] ??= await run());
  const cli = resolve(new URL("../src/cli/main.js", import.meta.url).pathname);
  const listedTotal = new Tally();
  const allTotal = new Tally();
  const typesProvided = new Set<string>();
  const indexedTypes = new Set<string>();
  let marketplacesEqual = 0;

  for (const root of args.corpora) {
    const out = join(mkdtempSync(join(tmpdir(), "skilldex-report-")), "report.json");
    await new Promise<void>((done, fail) => execFile(process.execPath, [cli, "scan", root, "--format", "json", "--output", out], { maxBuffer: 64 * 1024 * 1024 }, (error) => (error !== null && !existsSync(out) ? fail(error) : done())));
    const report = JSON.parse(readFileSync(out, "utf8")) as { artifacts: ArtifactLike[]; byType: Record<string, unknown> };
    rmSync(posix.dirname(out), { recursive: true, force: true });
    for (const type of Object.keys(report.byType)) indexedTypes.add(type);
    const files = listFiles(root);
    const folders = pluginFolders(root, files);
    const answers = await inParallel(folders, args.jobs, (folder) =>
      folder.entry === undefined
        ? ask(`validate ${join(root, folder.manifestPath)}`, () => validateWithClaude(args.claude, join(root, folder.manifestPath), join(root, folder.dir)))
        : ask(`details ${root} ${String(folder.entry.name)}`, () => loadEntryWithClaude(args.claude, root, folder.entry as Manifest)),
    );
    // In one of Anthropic's marketplaces a reserved name is no error: judge and list such plugins renamed.
    const marketplaceName = (readJsonFile(join(root, ".claude-plugin/marketplace.json")) as Manifest | undefined)?.name;
    if (typeof marketplaceName === "string" && OFFICIAL_MARKETPLACES.has(marketplaceName.toLowerCase())) {
      for (const [i, folder] of folders.entries()) {
        const answer = answers[i] as OracleAnswer;
        if (folder.entry === undefined && refusedOnlyForName(answer)) answers[i] = await ask(`renamed ${join(root, folder.dir)}`, () => validateRenamed(args.claude, join(root, folder.dir)));
      }
    }
    const readText = (path: string): string | undefined => {
      try {
        return readFileSync(join(root, path), "utf8");
      } catch {
        return undefined;
      }
    };
    const pluginDirs = folders.map((f) => f.dir);
    const listed = new Tally();
    const all = new Tally();
    folders.forEach((folder, i) => {
      const answer = answers[i] as OracleAnswer;
      const tally = new Tally();
      const pluginArtifact = report.artifacts.find((a) => a.type === "plugin" && a.path === folder.dir);
      const names = [...new Set([pluginArtifact?.name, folder.dir === "" ? basename(root) : basename(folder.dir), typeof folder.manifest.name === "string" ? folder.manifest.name : undefined].filter((n): n is string => n !== undefined))];
      // A plugin's artifacts sit in its folder, not in a plugin folder inside it; inline ones in marketplace.json.
      const deeper = pluginDirs.filter((d) => d !== folder.dir && (folder.dir === "" || d.startsWith(`${folder.dir}/`)));
      const inside = (path: string, dir: string): boolean => dir === "" || path === dir || path.startsWith(`${dir}/`);
      const atRoot = folder.entry !== undefined && folder.dir === "";
      const listedByEntry = atRoot ? looseEntryScope(folder.manifest) : null;
      const owns = (path: string): boolean => (listedByEntry ? listedByEntry(path) : inside(path, folder.dir) && !deeper.some((d) => inside(path, d))) || (folder.entry !== undefined && path === folder.manifestPath);
      const scope: PluginScope = { dir: folder.dir, names, readText, owns, looseKeys: atRoot };
      tally.plugins = 1;
      const components = answer.provides === null ? null : componentsOf(answer.provides, { dir: folder.dir, manifest: folder.manifest, manifestPath: folder.manifestPath, readJson: (p) => readJsonFile(join(root, p)) });
      const match = components === null ? null : matchComponents(components, artifactsOf(report.artifacts, scope), scope);
      const refused = match === null ? [] : refusedAtLoad(match);
      tally.verdictsEqual = pluginFailed(report.artifacts, scope, refused) === claudeFails(answer) ? 1 : 0;
      if (args.list && folder.listed && tally.verdictsEqual === 0) {
        const said = [...answer.manifestErrors, ...answer.contentErrors].join(" | ").slice(0, 300) || "no error";
        console.log(`  verdict ${basename(root)} ${folder.dir || "."}: Claude Code ${answer.success ? "passes" : "fails"} (${said}); skilldex ${answer.success ? "fails" : "passes"}`);
      }
      if (components !== null && match !== null) {
        for (const c of components) typesProvided.add(c.type);
        const extra = match.extra.filter((a) => !refused.includes(a));
        Object.assign(tally, { provided: components.length, found: match.found.length, extra: extra.length });
        if (args.list && folder.listed) {
          for (const c of match.missing) console.log(`  missing ${basename(root)} ${folder.dir || "."} ${c.type} ${[...c.namespace, c.name].join(":")}${c.sources.length > 0 ? ` (${c.sources.join(", ")})` : ""}`);
          for (const a of extra) console.log(`  extra   ${basename(root)} ${folder.dir || "."} ${a.key} (${a.path})`);
        }
      }
      all.add(tally);
      if (folder.listed) listed.add(tally);
    });
    const marketplaceAnswer = await ask(`validate ${root}`, () => validateWithClaude(args.claude, root, root));
    const marketplace = report.artifacts.find((a) => a.type === "marketplace" && a.path === "");
    const marketplaceEqual = (marketplace?.status === "failed") === !marketplaceAnswer.success;
    marketplacesEqual += marketplaceEqual ? 1 : 0;
    console.log(`${basename(root)}: listed ${listed.toString()}`);
    if (all.plugins !== listed.plugins) console.log(`${basename(root)}: every plugin.json folder ${all.toString()}`);
    console.log(`${basename(root)}: marketplace: Claude Code ${marketplaceAnswer.success ? "passes" : "fails"}, skilldex ${marketplace === undefined ? "has none" : marketplace.status} (${marketplaceEqual ? "equal" : "DIFFERENT"})`);
    listedTotal.add(listed);
    allTotal.add(all);
    if (args.cache !== null) writeFileSync(args.cache, JSON.stringify(cache));
  }
  const notIndexed = (types: Iterable<string>): string[] => [...types].filter((t) => !indexedTypes.has(t)).sort();
  const pct = (t: Tally): string => (t.provided === 0 ? "100.0" : ((100 * t.found) / t.provided).toFixed(1));
  console.log("");
  console.log(`components Claude Code provides that skilldex discovers (plugins a marketplace lists, and root plugins): ${listedTotal.found} of ${listedTotal.provided} (${pct(listedTotal)}%)`);
  console.log(`components skilldex reports that Claude Code does not load (same plugins): ${listedTotal.extra}`);
  console.log(`  the same over every plugin.json folder (${allTotal.plugins}, backups included): ${allTotal.found} of ${allTotal.provided} (${pct(allTotal)}%), ${allTotal.extra} not loaded`);
  console.log(`marketplace verdicts equal to Claude Code's: ${marketplacesEqual} of ${args.corpora.length}`);
  console.log(`plugin verdicts equal to Claude Code's: ${listedTotal.verdictsEqual} of ${listedTotal.plugins} listed (${allTotal.verdictsEqual} of ${allTotal.plugins} plugin folders)`);
  const provided = notIndexed(typesProvided);
  const possible = notIndexed(Object.values(PROVIDED_TYPES));
  console.log(`component types Claude Code provides here that skilldex does not index: ${provided.length}${provided.length > 0 ? ` (${provided.join(", ")})` : ""}`);
  console.log(`component types Claude Code can provide that skilldex does not index: ${possible.length}${possible.length > 0 ? ` (${possible.join(", ")})` : ""}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  });
}
