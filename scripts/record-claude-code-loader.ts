/**
 * Records what Claude Code's loader provides and reports for real and synthetic plugin folders
 * and marketplaces, into test/rules/fixtures/claude-code-loader/ (read by
 * test/rules/claude-code-loader-parity.test.ts).
 *
 *   npm run build
 *   node lib/scripts/record-claude-code-loader.js --claude /path/to/node_modules/.bin/claude \
 *     [--jobs 8] [--sample 100] [--out test/rules/fixtures/claude-code-loader] \
 *     CORPUS_DIR[@COMMIT]...
 *
 * Claude Code: `npm install @anthropic-ai/claude-code@2.1.330` into any folder; it runs with a
 * temporary HOME and needs no login. Each CORPUS_DIR is a checkout of a public repository whose
 * folder is named `owner+name` (as `git clone https://github.com/owner/name owner+name`); its
 * commit is `git rev-parse HEAD` there, or the COMMIT given after `@`.
 *
 * Cases: every plugin folder (`.claude-plugin/plugin.json`) of a corpus with at most `--sample`
 * of them, else `--sample` of them chosen by the SHA-256 of their path; every local `strict: false`
 * marketplace entry; every marketplace; a copy under a neutral name of each plugin whose only error
 * is a name reserved for Anthropic; and the synthetic layouts below. Each case keeps its file
 * listing with the contents a verdict depends on: JSON manifests and component files whole,
 * Markdown frontmatter with the body replaced, workflow `meta`, everything else empty. For a
 * corpus without an open-source licence, descriptions are replaced too. Claude Code is asked
 * about exactly those files (rebuilt in a temp folder), so the test replays what it answered.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  entrySourceDir,
  inParallel,
  listFiles,
  loadEntryWithClaude,
  pluginFolders,
  readJsonFile,
  refusedOnlyForName,
  validateWithClaude,
  type Manifest,
  type OracleAnswer,
} from "./loader-parity.js";

export type Files = Record<string, string>;

export interface RecordedCase {
  id: string;
  /** `plugin`: a plugin folder; `entry`: a `strict: false` marketplace entry; `marketplace`: its verdict only. */
  kind: "plugin" | "entry" | "marketplace";
  /** Where a real case comes from. */
  source?: { repo: string; commit: string; licence: string; path: string };
  /** What a synthetic case shows. */
  layout?: string;
  /** The plugin folder in `files` ("" for the root); for `marketplace`, the marketplace's folder. */
  pluginDir: string;
  files: Files;
  claude: OracleAnswer;
  /**
   * Hook and MCP commands naming a file of the plugin that is not there. Claude Code loads them
   * without a word; skilldex fails them (`broken_reference`, issue 11).
   */
  brokenReferences?: string[];
}

const BODY = "\n(body omitted)\n";
const OMITTED = "(omitted: not under an open-source licence)";
const MAX_JSON = 64 * 1024;

interface Corpus {
  root: string;
  repo: string;
  commit: string;
  licence: string;
  /** False when the licence is not an open-source one: free text is not copied then. */
  open: boolean;
}

function corpusOf(arg: string): Corpus {
  const at = arg.lastIndexOf("@");
  const root = resolve(at > 0 ? arg.slice(0, at) : arg);
  const commit = at > 0 ? arg.slice(at + 1) : execFileSync("git", ["-C", root, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  const repo = basename(root).replace("+", "/");
  const { licence, open } = licenceOf(root);
  return { root, repo, commit, licence, open };
}

function licenceOf(root: string): { licence: string; open: boolean } {
  for (const name of ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING"]) {
    let text: string;
    try {
      text = readFileSync(join(root, name), "utf8");
    } catch {
      continue;
    }
    if (/Permission is hereby granted, free of charge/.test(text)) return { licence: `MIT (${name})`, open: true };
    if (/Apache License[\s\S]{0,100}Version 2\.0/.test(text)) return { licence: `Apache-2.0 (${name})`, open: true };
    const first = text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
    return { licence: `not open source: ${name} begins "${first.slice(0, 120)}"`, open: false };
  }
  return { licence: "no licence file at the root", open: false };
}

/** The contents a verdict or a discovered name depends on; everything else becomes empty. */
function reducedContent(root: string, path: string, open: boolean, keepWhole: ReadonlySet<string>): string {
  const full = join(root, path);
  let size: number;
  try {
    size = statSync(full).size;
  } catch {
    return "";
  }
  const read = (): string => readFileSync(full, "utf8");
  if (path.endsWith(".json")) {
    if (size > MAX_JSON && !path.endsWith(".claude-plugin/marketplace.json") && !path.endsWith(".claude-plugin/plugin.json")) return "{}";
    const text = read();
    return open ? text : redactJson(text);
  }
  if (path.endsWith(".md")) {
    if (size > 4 * 1024 * 1024) return BODY.trimStart();
    const text = read();
    const block = /^---\r?\n[\s\S]*?\r?\n---(?:\r?\n|$)/.exec(text);
    if (block === null) return BODY.trimStart();
    return open ? `${block[0].trimEnd()}\n${BODY}` : `${redactFrontmatter(block[0])}${BODY}`;
  }
  if (keepWhole.has(path) && size <= 16 * 1024) return read();
  if (/(^|\/)workflows\/[^/]+\.js$/.test(path) && size <= 4 * 1024 * 1024) return workflowStub(read());
  return "";
}

/** A workflow keeps its `export const meta = {...};` (what Claude Code names it by) and an empty body. */
function workflowStub(text: string): string {
  const start = text.indexOf("export const meta");
  if (start < 0) return "";
  const open = text.indexOf("{", start);
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i >= 0 && i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return `${text.slice(start, i + 1)};\nexport default async function run() {}\n`;
  }
  return "";
}

function redactFrontmatter(block: string): string {
  const lines = block.split(/\r?\n/);
  const kept = lines.filter((l) => l === "---" || /^name:/.test(l)).map((l) => l);
  const hasDescription = lines.some((l) => /^description:/.test(l));
  const body = kept.slice(1, -1);
  return ["---", ...body.filter((l) => l !== "---"), ...(hasDescription ? [`description: ${OMITTED}`] : []), "---", ""].join("\n");
}

function redactJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.length > 200 ? "{" : text;
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === "description" || k === "longDescription") && typeof x === "string" ? OMITTED : walk(x)]));
  };
  return `${JSON.stringify(walk(value), null, 2)}\n`;
}

/** JS files a hooks file loads as a hooks module; kept whole, since Claude Code checks them. */
function hooksModules(root: string, files: readonly string[]): Set<string> {
  const modules = new Set<string>();
  for (const file of files.filter((f) => f.endsWith(".json"))) {
    const json = readJsonFile(join(root, file));
    if (typeof json !== "object" || json === null || !Array.isArray((json as Manifest).modules)) continue;
    for (const m of (json as { modules: unknown[] }).modules) if (typeof m === "string") modules.add(posix.normalize(posix.join(posix.dirname(file), m)));
  }
  return modules;
}

/** The reduced files under `dir` of `root`, keyed by path relative to `base`. */
function reduce(corpus: Corpus, dir: string, base: string, files: readonly string[], only?: (path: string) => boolean): Files {
  const under = files.filter((f) => dir === "" || f.startsWith(`${dir}/`)).filter((f) => only === undefined || only(f));
  const keepWhole = hooksModules(corpus.root, under);
  const out: Files = {};
  for (const file of under) out[base === "" ? file : file.slice(base.length + 1)] = reducedContent(corpus.root, file, corpus.open, keepWhole);
  return out;
}

function writeFolder(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), "loader-case-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Asks Claude Code about the case's files, rebuilt in a temp folder. */
async function answer(claude: string, c: Omit<RecordedCase, "claude">, entry?: Manifest): Promise<OracleAnswer> {
  const root = writeFolder(c.files);
  try {
    if (c.kind === "entry" && entry !== undefined) return await loadEntryWithClaude(claude, root, entry);
    const pluginDir = join(root, c.pluginDir);
    const target = c.kind === "plugin" && `${c.pluginDir ? `${c.pluginDir}/` : ""}.claude-plugin/plugin.json` in c.files ? join(pluginDir, ".claude-plugin/plugin.json") : pluginDir;
    return await validateWithClaude(claude, target, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Hook and MCP commands that name a file under the plugin folder which the listing lacks. */
export function brokenReferences(files: Files, pluginDir: string): string[] {
  const inPlugin = (p: string): string => posix.normalize(pluginDir === "" ? p : `${pluginDir}/${p}`);
  const parse = (path: string): unknown => {
    try {
      return JSON.parse(files[path] ?? "") as unknown;
    } catch {
      return undefined;
    }
  };
  const manifest = parse(inPlugin(".claude-plugin/plugin.json"));
  const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  /** The default file, then what the manifest field names: files, or values written inline. */
  const named = (field: unknown, fallback: string): Array<{ value: unknown; inline: boolean }> => [
    { value: parse(inPlugin(fallback)), inline: false },
    ...(Array.isArray(field) ? field : field === undefined ? [] : [field]).map((f) => (typeof f === "string" ? { value: parse(inPlugin(f)), inline: false } : { value: f, inline: true })),
  ];
  const missing = (path: string): boolean => !/[$*?{]/.test(path) && !Object.keys(files).some((f) => f === inPlugin(path) || f.startsWith(`${inPlugin(path)}/`));
  const broken: string[] = [];
  for (const { value, inline } of named(record(manifest).hooks, "hooks/hooks.json")) {
    const events = record(inline ? value : record(value).hooks);
    for (const groups of Object.values(events)) {
      for (const group of Array.isArray(groups) ? groups : []) {
        for (const hook of Array.isArray(record(group).hooks) ? (record(group).hooks as unknown[]) : []) {
          const command = record(hook).command;
          if (typeof command !== "string") continue;
          for (const m of command.matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/([^\s"'`;|&)]+)/g)) if (missing(m[1] as string)) broken.push(`hook command ${command}`);
          const first = /^\s*(\.\/[^\s"'`;|&)]+)/.exec(command)?.[1];
          if (first !== undefined && missing(first)) broken.push(`hook command ${command}`);
        }
      }
    }
  }
  for (const { value } of named(record(manifest).mcpServers, ".mcp.json")) {
    const servers = record(record(value).mcpServers ?? value);
    for (const [name, server] of Object.entries(servers)) {
      const command = record(server).command;
      if (typeof command !== "string") continue;
      const path = /^\$\{CLAUDE_PLUGIN_ROOT\}\/(.+)$/.exec(command)?.[1] ?? (command.startsWith("./") ? command : undefined);
      if (path !== undefined && missing(path)) broken.push(`mcp server ${name} command ${command}`);
    }
  }
  return [...new Set(broken)];
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The real cases of one corpus. */
function realCases(corpus: Corpus, sample: number): Array<{ c: Omit<RecordedCase, "claude">; entry?: Manifest; original?: string }> {
  const files = listFiles(corpus.root);
  const source = (path: string): RecordedCase["source"] => ({ repo: corpus.repo, commit: corpus.commit, licence: corpus.licence, path: path || "." });
  const idOf = (path: string): string => `${corpus.repo}:${path || "."}`;
  const folders = pluginFolders(corpus.root, files);
  const plain = folders.filter((f) => f.entry === undefined);
  const chosen = plain.length <= sample ? plain : [...plain].sort((a, b) => sha(a.dir).localeCompare(sha(b.dir))).slice(0, sample);
  const out: Array<{ c: Omit<RecordedCase, "claude">; entry?: Manifest; original?: string }> = [];
  for (const folder of chosen) out.push({ c: { id: idOf(folder.dir), kind: "plugin", source: source(folder.dir), pluginDir: "", files: reduce(corpus, folder.dir, folder.dir, files) } });

  const marketplacePath = ".claude-plugin/marketplace.json";
  const marketplace = readJsonFile(join(corpus.root, marketplacePath)) as Manifest | undefined;
  if (marketplace === undefined) return out;
  const manifestText = reducedContent(corpus.root, marketplacePath, corpus.open, new Set());
  for (const folder of folders.filter((f) => f.entry !== undefined)) {
    const entry = folder.entry as Manifest;
    const reducedEntry = JSON.parse(corpus.open ? JSON.stringify(entry) : redactJson(JSON.stringify(entry))) as Manifest;
    const only = { ...(JSON.parse(manifestText) as Manifest), plugins: [reducedEntry] };
    const tree = { ...reduce(corpus, folder.dir, "", files, (f) => f !== marketplacePath), [marketplacePath]: `${JSON.stringify(only, null, 2)}\n` };
    out.push({ c: { id: `${idOf(folder.dir)}#${String(entry.name)}`, kind: "entry", source: source(folder.dir), pluginDir: folder.dir, files: tree }, entry: reducedEntry });
  }
  // The marketplace verdict rests on marketplace.json and, for each local entry, on its
  // .claude-plugin/, its hooks files and the paths its plugin.json names.
  const metadata = typeof marketplace.metadata === "object" && marketplace.metadata !== null ? (marketplace.metadata as Manifest) : {};
  const entries = (Array.isArray(marketplace.plugins) ? marketplace.plugins : []).filter((e): e is Manifest => typeof e === "object" && e !== null && typeof (e as Manifest).source === "string");
  const needed = new Set<string>();
  for (const entry of entries) {
    const dir = entrySourceDir(entry.source as string, metadata.pluginRoot);
    const inDir = (p: string): string => posix.normalize(dir === "" ? p : `${dir}/${p}`);
    const manifest = readJsonFile(join(corpus.root, inDir(".claude-plugin/plugin.json")));
    const named = [...(typeof manifest === "object" && manifest !== null ? namedPaths(manifest as Manifest) : []), ...namedPaths(entry)].map(inDir);
    for (const f of files) {
      const rel = dir === "" ? f : f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : null;
      if (rel === null) continue;
      if (rel.startsWith(".claude-plugin/") || rel.startsWith("hooks/") || named.some((n) => f === n || f.startsWith(`${n}/`))) needed.add(f);
    }
  }
  const tree = { ...reduce(corpus, "", "", files, (f) => needed.has(f)), [marketplacePath]: manifestText };
  out.push({ c: { id: `${corpus.repo}:marketplace`, kind: "marketplace", source: source(""), pluginDir: "", files: tree }, original: corpus.root });
  return out;
}

/** Every path a plugin.json names for its components ("./x" as "x"). */
function namedPaths(manifest: Manifest): string[] {
  const fields = ["agents", "commands", "skills", "hooks", "mcpServers", "lspServers", "outputStyles", "themes", "workflows", "monitors"];
  const experimental = typeof manifest.experimental === "object" && manifest.experimental !== null ? (manifest.experimental as Manifest) : {};
  const values = fields.flatMap((f) => [manifest[f], experimental[f]]).flatMap((v) => (Array.isArray(v) ? v : [v]));
  const fromObjects = values.flatMap((v) => (typeof v === "object" && v !== null ? Object.values(v as Manifest).map((x) => (typeof x === "object" && x !== null ? (x as Manifest).source : undefined)) : []));
  return [...values, ...fromObjects].filter((v): v is string => typeof v === "string").map((v) => posix.normalize(v).replace(/\/$/, ""));
}

/** A plugin.json named after what it lays out. */
const pj = (fields: Manifest = {}): Files => ({ ".claude-plugin/plugin.json": `${JSON.stringify({ name: "demo", version: "1.0.0", description: "A demo plugin.", author: { name: "A" }, ...fields }, null, 2)}\n` });
const md = (name?: string, description: string | null = "Does things."): string => `---\n${name === undefined ? "" : `name: ${name}\n`}${description === null ? "" : `description: ${description}\n`}---\n${BODY}`;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const hooksJson = (command: string, event = "PreToolUse"): string => json({ hooks: { [event]: [{ matcher: "Bash", hooks: [{ type: "command", command }] }] } });
const marketplaceOf = (name: string, plugins: Manifest[]): Files => ({ ".claude-plugin/marketplace.json": json({ name, owner: { name: "Owner" }, plugins }) });
const workflow = (name: string): string => `export const meta = { name: "${name}", description: "Runs ${name}." };\nexport default async function run() {}\n`;

/** Synthetic cases: every layout issue 11 names. */
export function syntheticCases(): Array<Omit<RecordedCase, "claude">> {
  const plugin = (id: string, layout: string, files: Files): Omit<RecordedCase, "claude"> => ({ id: `synthetic:${id}`, kind: "plugin", layout, pluginDir: "", files });
  const market = (id: string, layout: string, files: Files): Omit<RecordedCase, "claude"> => ({ id: `synthetic:${id}`, kind: "marketplace", layout, pluginDir: "", files });
  const onePlugin = (marketplace: string, pluginName: string, manifest: Manifest = { name: pluginName }): Files => ({
    ...marketplaceOf(marketplace, [{ name: pluginName, source: "./plugins/one", description: "One plugin." }]),
    "plugins/one/.claude-plugin/plugin.json": json(manifest),
    "plugins/one/agents/a.md": md("a"),
  });
  const settingsHooks = json({ hooks: { Stop: [{ hooks: [{ type: "command", command: "echo stop" }] }] } });
  return [
    plugin("default-folders", "agents/, commands/ and skills/ beside plugin.json, nested folders included", {
      ...pj(),
      "agents/reviewer.md": md("code-reviewer"),
      "agents/noname.md": md(undefined),
      "agents/team/lead.md": md("lead"),
      "commands/deploy.md": md(undefined),
      "commands/git/commit.md": md(undefined),
      "commands/git/deep/squash.md": md("squash-them"),
      "commands/notes.txt": "",
      "skills/pdf/SKILL.md": md("pdf-tools"),
      "skills/pdf/reference.md": md(undefined),
      "skills/group/inner/SKILL.md": md("inner"),
    }),
    plugin("agents-list", "plugin.json agents as a list of files outside agents/ (VoltAgent layout)", { ...pj({ agents: ["./api-designer.md", "./roles/backend.md"] }), "api-designer.md": md("api-designer"), "roles/backend.md": md("backend-developer"), "README.md": BODY }),
    plugin("agents-list-replaces", "plugin.json agents list instead of the default agents/ folder", { ...pj({ agents: ["./extra/e.md"] }), "agents/a.md": md("a"), "extra/e.md": md("e") }),
    plugin("agents-string", "plugin.json agents as one string", { ...pj({ agents: "./extra/e.md" }), "agents/a.md": md("a"), "extra/e.md": md("e") }),
    plugin("agents-folder", "plugin.json agents naming a folder (Claude Code wants .md files)", { ...pj({ agents: ["./agents/"] }), "agents/a.md": md("a") }),
    plugin("agents-missing", "plugin.json agents naming a file that is not there", { ...pj({ agents: ["./agents/gone.md"] }), "agents/a.md": md("a") }),
    plugin("commands-folder", "plugin.json commands naming a folder instead of commands/", { ...pj({ commands: "./cmds" }), "commands/old.md": md(undefined), "cmds/new.md": md(undefined), "cmds/sub/deeper.md": md(undefined) }),
    plugin("commands-list", "plugin.json commands as a list of files beside commands/", { ...pj({ commands: ["./more/m.md"] }), "commands/c.md": md(undefined), "more/m.md": md(undefined) }),
    plugin("commands-object", "plugin.json commands as an object of named sources", { ...pj({ commands: { hello: { source: "./more/m.md" } } }), "more/m.md": md(undefined) }),
    plugin("skills-list-adds", "plugin.json skills list beside skills/ (adds to it)", { ...pj({ skills: ["./extra/x"] }), "skills/s1/SKILL.md": md("s1"), "extra/x/SKILL.md": md("x-skill") }),
    plugin("skills-parent", "plugin.json skills naming a folder of skill folders", { ...pj({ skills: "./library" }), "library/one/SKILL.md": md("one"), "library/two/SKILL.md": md("two-named") }),
    plugin("skills-file", "plugin.json skills naming SKILL.md itself", { ...pj({ skills: ["./extra/x/SKILL.md"] }), "extra/x/SKILL.md": md("x") }),
    plugin("skill-at-root", "a plugin whose root holds SKILL.md and no skills/", { ...pj(), "SKILL.md": md("root-skill") }),
    plugin("output-styles", "output-styles/ folder, nested", { ...pj(), "output-styles/terse.md": md("Terse"), "output-styles/more/plain.md": md(undefined) }),
    plugin("output-styles-list", "plugin.json outputStyles list instead of output-styles/", { ...pj({ outputStyles: ["./styles/q.md"] }), "output-styles/o.md": md("O"), "styles/q.md": md("Q") }),
    plugin("themes", "themes/*.json (not nested)", { ...pj(), "themes/dark-blue.json": json({ name: "Dark Blue", base: "dark", overrides: {} }), "themes/sub/ignored.json": json({ name: "No" }) }),
    plugin("themes-experimental", "experimental.themes naming a folder instead of themes/", { ...pj({ experimental: { themes: "./palette" } }), "palette/a.json": json({ name: "A", base: "light" }), "themes/b.json": json({ name: "B" }) }),
    plugin("workflows", "workflows/*.js with meta (not nested)", { ...pj(), "workflows/scan.js": workflow("scan"), "workflows/sub/skip.js": workflow("skipped"), "workflows/nometa.js": "export default async function run() {}\n" }),
    plugin("workflows-list", "plugin.json workflows list instead of workflows/", { ...pj({ workflows: ["./flows/a.js"] }), "flows/a.js": workflow("alpha"), "workflows/b.js": workflow("beta") }),
    plugin("monitors", "monitors/monitors.json", { ...pj(), "monitors/monitors.json": json([{ name: "build-watch", command: "npm run watch", description: "Watches the build." }]) }),
    plugin("monitors-inline", "experimental.monitors inline in plugin.json", pj({ experimental: { monitors: [{ name: "tail", command: "tail -f log", description: "Tails the log." }] } })),
    plugin("monitors-empty-object", "monitors/monitors.json holding {} (loads nothing, fails at load)", { ...pj(), "monitors/monitors.json": json({}) }),
    plugin("bin", "bin/ files (not nested)", { ...pj(), "bin/tool": "#!/bin/sh\necho tool\n", "bin/helper.py": "", "bin/lib/inner.sh": "" }),
    plugin("hooks-module", "a hooks module named by hooks.json modules", { ...pj(), "hooks/hooks.json": json({ modules: ["./register.js"] }), "hooks/register.js": "export function register(on) {\n}\n" }),
    plugin("lsp-file", ".lsp.json beside plugin.json", { ...pj(), ".lsp.json": json({ pyright: { command: "pyright-langserver", args: ["--stdio"], extensionToLanguage: { ".py": "python" } } }) }),
    plugin("lsp-inline", "plugin.json lspServers inline and .lsp.json (both load)", { ...pj({ lspServers: { gopls: { command: "gopls", extensionToLanguage: { ".go": "go" } } } }), ".lsp.json": json({ rust: { command: "rust-analyzer", extensionToLanguage: { ".rs": "rust" } } }) }),
    plugin("lsp-wrapped", ".lsp.json wrapped in lspServers (fails at load)", { ...pj(), ".lsp.json": json({ lspServers: { go: { command: "gopls", extensionToLanguage: { ".go": "go" } } } }) }),
    plugin("hooks-default", "hooks/hooks.json", { ...pj(), "hooks/hooks.json": hooksJson("echo ok"), "scripts/x.sh": "" }),
    plugin("hooks-manifest-path", "plugin.json hooks naming another file (adds to hooks/hooks.json)", { ...pj({ hooks: "./config/more-hooks.json" }), "hooks/hooks.json": hooksJson("echo one"), "config/more-hooks.json": hooksJson("echo two", "SessionStart") }),
    plugin("hooks-inline", "plugin.json hooks inline", pj({ hooks: { Stop: [{ hooks: [{ type: "command", command: "echo inline" }] }] } })),
    plugin("hooks-malformed", "hooks/hooks.json that is not JSON", { ...pj(), "hooks/hooks.json": "{\n  \"hooks\": {\n" }),
    plugin("hooks-top-level-event", "PreToolUse outside the hooks object", { ...pj(), "hooks/hooks.json": json({ PreToolUse: [{ hooks: [{ type: "command", command: "echo" }] }] }) }),
    plugin("hook-script-missing", "a hook command ${CLAUDE_PLUGIN_ROOT}/scripts/x.sh that is not there", { ...pj(), "hooks/hooks.json": hooksJson('"${CLAUDE_PLUGIN_ROOT}/scripts/x.sh"') }),
    plugin("hook-script-relative-missing", "a hook command ./scripts/x.sh that is not there", { ...pj(), "hooks/hooks.json": hooksJson("./scripts/x.sh") }),
    plugin("hook-script-present", "a hook command ${CLAUDE_PLUGIN_ROOT}/scripts/x.sh that is there", { ...pj(), "hooks/hooks.json": hooksJson('"${CLAUDE_PLUGIN_ROOT}/scripts/x.sh"'), "scripts/x.sh": "" }),
    plugin("mcp-default", ".mcp.json with mcpServers", { ...pj(), ".mcp.json": json({ mcpServers: { search: { command: "npx", args: ["-y", "search-mcp"] }, remote: { type: "http", url: "https://example.com/mcp" } } }) }),
    plugin("mcp-inline", "plugin.json mcpServers inline beside .mcp.json", { ...pj({ mcpServers: { inline: { command: "npx", args: ["x"] } } }), ".mcp.json": json({ mcpServers: { filed: { command: "npx" } } }) }),
    plugin("mcp-manifest-path", "plugin.json mcpServers naming a file", { ...pj({ mcpServers: "./config/mcp.json" }), "config/mcp.json": json({ mcpServers: { named: { command: "npx" } } }) }),
    plugin("mcp-command-missing", "an MCP command naming a file of the plugin that is not there", { ...pj(), ".mcp.json": json({ mcpServers: { local: { command: "${CLAUDE_PLUGIN_ROOT}/servers/server.js" } } }) }),
    plugin("mcp-command-present", "an MCP command naming a file of the plugin that is there", { ...pj(), ".mcp.json": json({ mcpServers: { local: { command: "${CLAUDE_PLUGIN_ROOT}/servers/server.js" } } }), "servers/server.js": "" }),
    plugin("mcp-malformed", ".mcp.json that is not JSON", { ...pj(), ".mcp.json": "{ \"mcpServers\": " }),
    plugin("project-scope-in-plugin-root", ".claude/ in a repository whose root is a plugin (obra/superpowers layout)", {
      ...pj(),
      "skills/brainstorm/SKILL.md": md("brainstorm"),
      ".claude/agents/helper.md": md(undefined),
      ".claude/agents/named.md": md("named"),
      ".claude/commands/local.md": md(undefined),
      ".claude/skills/local-skill/SKILL.md": md("local-skill"),
      ".claude/settings.json": settingsHooks,
    }),
    plugin("manifest-missing-name", "plugin.json without name", { ".claude-plugin/plugin.json": json({ description: "x" }), "agents/a.md": md("a") }),
    plugin("manifest-wrong-types", "plugin.json fields of the wrong type", { ".claude-plugin/plugin.json": json({ name: "demo", version: 3, agents: 5 }) }),
    plugin("manifest-malformed", "plugin.json that is not JSON", { ".claude-plugin/plugin.json": "{ \"name\": " }),
    plugin("manifest-path-without-dot-slash", "plugin.json skills paths without ./", { ...pj({ skills: ["skills/a"] }), "skills/a/SKILL.md": md("a") }),
    plugin("reserved-name-alone", "a plugin named claude-… on its own", { ...pj({ name: "claude-helper" }), "agents/a.md": md("a") }),
    market("reserved-in-official", "a claude-… plugin in a marketplace named claude-plugins-official", onePlugin("claude-plugins-official", "claude-helper")),
    market("reserved-in-claude-code-plugins", "a claude-… plugin in claude-code-plugins", onePlugin("claude-code-plugins", "claude-helper")),
    market("reserved-in-agent-skills", "a claude-… plugin in anthropic-agent-skills", onePlugin("anthropic-agent-skills", "claude-helper")),
    market("reserved-in-third-party", "a claude-… plugin in acme-tools", onePlugin("acme-tools", "claude-helper")),
    market("reserved-in-community", "a claude-… plugin in claude-community (reserved, but not official)", onePlugin("claude-community", "claude-helper")),
    market("reserved-anthropic-prefix", "an anthropic-… plugin in acme-tools", onePlugin("acme-tools", "anthropic-helper")),
    market("entry-agents-not-md", "an entry whose plugin.json lists agents by folder (wshobson/agents)", onePlugin("acme-tools", "one", { name: "one", agents: ["./agents"] })),
    market("entry-manifest-malformed", "an entry whose plugin.json is not JSON", { ...onePlugin("acme-tools", "one"), "plugins/one/.claude-plugin/plugin.json": "{ \"name\": " }),
    market("entry-manifest-missing-name", "an entry whose plugin.json has no name", onePlugin("acme-tools", "one", { description: "x" })),
    market("entry-path-missing", "an entry whose plugin.json names a hooks file that is not there", onePlugin("acme-tools", "one", { name: "one", hooks: "./hooks/gone.json" })),
    market("entry-hooks-malformed", "an entry whose hooks/hooks.json is not JSON", { ...onePlugin("acme-tools", "one"), "plugins/one/hooks/hooks.json": "{" }),
    market("entry-mcp-malformed", "an entry whose .mcp.json is not JSON (not the marketplace's concern)", { ...onePlugin("acme-tools", "one"), "plugins/one/.mcp.json": "{" }),
    market("entry-folder-missing", "an entry whose folder is not there", marketplaceOf("acme-tools", [{ name: "gone", source: "./plugins/gone", description: "Gone." }])),
    market("entry-ok", "a marketplace with one sound entry", onePlugin("acme-tools", "one")),
    {
      id: "synthetic:entry-strict-false-lsp",
      kind: "entry",
      layout: "a strict: false entry defining lspServers inline in marketplace.json (claude-plugins-official LSP plugins)",
      pluginDir: "plugins/pyls",
      files: {
        ...marketplaceOf("acme-tools", [{ name: "pyls", source: "./plugins/pyls", description: "Python LSP.", strict: false, lspServers: { pyright: { command: "pyright-langserver", args: ["--stdio"], extensionToLanguage: { ".py": "python" } } } }]),
        "plugins/pyls/README.md": BODY,
      },
    },
    {
      id: "synthetic:entry-strict-false-skills-at-root",
      kind: "entry",
      layout: "a strict: false entry at ./ listing some of skills/ (anthropics/skills)",
      pluginDir: "",
      files: {
        ...marketplaceOf("acme-tools", [{ name: "docs", source: "./", description: "Doc skills.", strict: false, skills: ["./skills/pdf", "./skills/xlsx"] }]),
        "skills/pdf/SKILL.md": md("pdf"),
        "skills/xlsx/SKILL.md": md("xlsx"),
        "skills/art/SKILL.md": md("art"),
      },
    },
  ];
}

async function main(argv: string[]): Promise<void> {
  const args = { claude: "claude", jobs: 8, sample: 100, out: "test/rules/fixtures/claude-code-loader", corpora: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--claude") args.claude = argv[++i] ?? args.claude;
    else if (arg === "--jobs") args.jobs = Number(argv[++i]);
    else if (arg === "--sample") args.sample = Number(argv[++i]);
    else if (arg === "--out") args.out = argv[++i] ?? args.out;
    else args.corpora.push(arg);
  }
  const version = execFileSync(args.claude, ["--version"], { encoding: "utf8", env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), "claude-home-")) } }).trim();
  const pending: Array<{ c: Omit<RecordedCase, "claude">; entry?: Manifest; original?: string; real: boolean }> = [];
  for (const arg of args.corpora) for (const r of realCases(corpusOf(arg), args.sample)) pending.push({ ...r, real: true });
  for (const c of syntheticCases()) {
    const marketplace = c.files[".claude-plugin/marketplace.json"];
    const entry = c.kind === "entry" && marketplace !== undefined ? ((JSON.parse(marketplace) as { plugins: Manifest[] }).plugins[0] as Manifest) : undefined;
    pending.push({ c, ...(entry === undefined ? {} : { entry }), real: false });
  }
  let done = 0;
  const recorded = await inParallel(pending, args.jobs, async ({ c, entry, original, real }) => {
    const claude = await answer(args.claude, c, entry);
    // A marketplace keeps only part of its plugins' files: say so if that changes the verdict.
    if (original !== undefined && (await validateWithClaude(args.claude, original, original)).success !== claude.success) console.error(`${c.id}: the kept files change Claude Code's verdict`);
    if (++done % 25 === 0) console.error(`${done}/${pending.length}`);
    const broken = c.kind === "marketplace" ? [] : brokenReferences(c.files, c.pluginDir);
    return { real, c: { ...c, claude, ...(broken.length > 0 ? { brokenReferences: broken } : {}) } as RecordedCase };
  });
  // A plugin refused only for a name reserved for Anthropic's own plugins: also record it renamed,
  // so what it provides is recorded too (its marketplace may be one of Anthropic's).
  const renamed = recorded.filter(({ c }) => c.kind === "plugin" && refusedOnlyForName(c.claude));
  const copies = await inParallel(renamed, args.jobs, async ({ c, real }) => {
    const manifestPath = `${c.pluginDir ? `${c.pluginDir}/` : ""}.claude-plugin/plugin.json`;
    const manifest = JSON.parse(c.files[manifestPath] as string) as Manifest;
    const files = { ...c.files, [manifestPath]: `${JSON.stringify({ ...manifest, name: `renamed-${String(manifest.name)}` }, null, 2)}\n` };
    const copy: Omit<RecordedCase, "claude"> = { ...c, id: `${c.id}~renamed`, files, layout: `${c.layout ?? "the plugin"}, renamed renamed-${String(manifest.name)}` };
    return { real, c: { ...copy, claude: await answer(args.claude, copy) } as RecordedCase };
  });
  const all = [...recorded, ...copies];
  mkdirSync(args.out, { recursive: true });
  const write = (name: string, comment: string, cases: RecordedCase[]): void => {
    const sorted = [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    writeFileSync(join(args.out, name), `${JSON.stringify({ $comment: comment, tool: version, cases: sorted }, null, 1)}\n`);
    console.error(`wrote ${sorted.length} cases to ${join(args.out, name)}`);
  };
  const about =
    "Recorded by scripts/record-claude-code-loader.ts: Claude Code's own answer (`claude plugin validate --json`, or for a strict:false marketplace entry `claude plugin install` + `claude plugin details`) on exactly these files. Real cases keep their file listing, JSON manifests and component files, Markdown frontmatter (body replaced) and workflow meta; other contents are empty; without an open-source licence, descriptions are replaced too.";
  write("real.json", about, all.filter((r) => r.real).map((r) => r.c));
  write("synthetic.json", about, all.filter((r) => !r.real).map((r) => r.c));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  });
}
