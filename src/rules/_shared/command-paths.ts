import { basename, dirname, join, resolveRelative } from "../../discover/paths.js";
import type { Artifact } from "../../model.js";
import type { FileIndex, ScanScope } from "../types.js";
import { type CommandWord, execWords, PLACEHOLDER, shellCommands } from "../../parse/shell.js";

export { type CommandWord, execWords, shellCommands };

/**
 * What a hook command or an MCP server runs from the repository: the program when it is a path,
 * the script an interpreter runs, and the arguments written as `${CLAUDE_PLUGIN_ROOT}/...`.
 * Programs looked up on PATH (`npx`, `jq`) and paths built at run time are never judged.
 */

/** Where placeholders and relative paths lead, as root-relative folders; null where nothing in the repository is meant. */
export interface CommandBases {
  pluginRoot: string | null;
  projectDir: string | null;
  /** The folder relative paths are read from. */
  relative: string | null;
}

export interface CommandReference {
  word: CommandWord;
  /** What the word is to the command: the program, the script an interpreter runs, or an argument. */
  role: "program" | "script" | "argument";
  /** The root-relative path the word names. */
  target: string;
  /** How the path was read: from a placeholder, relative to the artifact's own base, or relative to a folder a `cd` moved to. */
  via: "placeholder" | "relative" | "cd";
}

const INTERPRETER = /^(?:sh|bash|zsh|dash|ksh|fish|source|\.|node|nodejs|deno|bun|tsx|ts-node|python(?:\d+(?:\.\d+)?)?|py|pypy\d*|uv|ruby|perl|php|Rscript|pwsh|powershell)(?:\.exe)?$/;
/** Subcommands that come before the script: `deno run x.ts`, `bun run x.ts`, `uv run x.py`. */
const SUBCOMMANDS = new Set(["run", "exec"]);
/** Options after which an interpreter runs no script file: inline code, a module, a command string. */
const NO_SCRIPT_OPTIONS = /^(?:-[a-z]*[cem]|-p|--eval|--print|--command|-Command|-EncodedCommand|--module)$/;
/** Options that move the folder a script is read from. */
const DIRECTORY_OPTIONS = new Set(["--directory", "--project", "--cwd", "-C", "--prefix"]);
/** Options that take the next word as their value. */
const VALUE_OPTIONS = new Set(["--cwd", "-C", "--prefix", "-r", "--require", "--import", "--loader", "--experimental-loader", "-W", "-X", "--with", "--python", "--project", "--directory", "--config", "-ExecutionPolicy"]);
/** Words a command line starts with that are not its program. */
const PREFIXES = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "exec", "env", "command", "nohup", "sudo"]);
/** Programs whose path arguments need not exist: they test for, create or print them. */
const NOT_READERS = new Set(["test", "[", "[[", "mkdir", "touch", "tee", "rm", "rmdir", "cp", "mv", "ln", "echo", "printf", "export", "unset", "true", "false"]);
const SCRIPT_EXTENSION = /\.(?:sh|bash|zsh|fish|py|rb|pl|php|js|mjs|cjs|ts|mts|cts|ps1|cmd|bat)$/;

/** Whether a word's value is known only when it runs: a variable past a leading placeholder, a glob, a home folder. */
/** The words of one command that name files it reads: its program if a path, an interpreter's script, placeholder-prefixed arguments. */
function referencedWords(words: readonly CommandWord[]): { word: CommandWord; role: CommandReference["role"] }[] {
  let i = 0;
  while (i < words.length && (PREFIXES.has((words[i] as CommandWord).text) || /^[A-Za-z_][A-Za-z0-9_]*=/.test((words[i] as CommandWord).text))) i++;
  const program = words[i];
  if (!program) return [];
  const out: { word: CommandWord; role: CommandReference["role"] }[] = [];
  const name = basename(program.text);
  if (isPathLike(program.text)) out.push({ word: program, role: "program" });
  if (INTERPRETER.test(name)) {
    const script = interpreterScript(words, i + 1);
    if (script) out.push({ word: script, role: "script" });
  }
  if (!NOT_READERS.has(name)) {
    for (const word of words.slice(i + 1)) {
      if (PLACEHOLDER.test(word.text) && !out.some((o) => o.word === word)) out.push({ word, role: "argument" });
    }
  }
  return out;
}

const SHELL = /^(?:sh|bash|zsh|dash|ksh)$/;

/** The command line a shell runs with `-c`, if that is what the command does. */
function shellString(words: readonly CommandWord[]): CommandWord | null {
  const at = words.findIndex((w) => !PREFIXES.has(w.text) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text));
  if (at === -1 || !SHELL.test(basename((words[at] as CommandWord).text))) return null;
  for (let i = at + 1; i < words.length; i++) {
    const text = (words[i] as CommandWord).text;
    if (!text.startsWith("-")) return null;
    if (/^-[a-z]*c[a-z]*$/.test(text)) return words[i + 1] ?? null;
  }
  return null;
}

/** The file an interpreter runs: its first word that is not an option, unless an option says the code comes from elsewhere. */
function interpreterScript(words: readonly CommandWord[], from: number): CommandWord | null {
  let moved = false;
  for (let i = from; i < words.length; i++) {
    const word = words[i] as CommandWord;
    if (NO_SCRIPT_OPTIONS.test(word.text)) return null;
    if (VALUE_OPTIONS.has(word.text)) {
      // A script read from the folder such an option names is judged only when placeholder-prefixed.
      if (DIRECTORY_OPTIONS.has(word.text)) moved = true;
      i++;
      continue;
    }
    if (word.text.startsWith("-")) {
      if (DIRECTORY_OPTIONS.has(word.text.split("=")[0] as string)) moved = true;
      continue;
    }
    if (i === from && SUBCOMMANDS.has(word.text)) continue;
    // `uv run python x.py`, `env bash x.sh`: the interpreter's interpreter.
    if (INTERPRETER.test(basename(word.text)) && !isPathLike(word.text)) return interpreterScript(words, i + 1);
    if (moved && !PLACEHOLDER.test(word.text)) return null;
    return isPathLike(word.text) || SCRIPT_EXTENSION.test(word.text) ? word : null;
  }
  return null;
}

/** A word that names a path in the repository rather than a program on PATH. */
function isPathLike(text: string): boolean {
  return PLACEHOLDER.test(text) || (text.includes("/") && !text.startsWith("/"));
}

/**
 * Where the words each command reads lead, for those that lead into the repository: a
 * placeholder whose folder is known, or a relative path while relative paths have a base (a `cd`
 * moves it for the commands after). Paths that climb with `..` are left to the rules about where
 * a plugin may reach.
 */
export function commandReferences(commands: readonly (readonly CommandWord[])[], bases: CommandBases): CommandReference[] {
  const out: CommandReference[] = [];
  let current = bases;
  let moved = false;
  for (const words of commands) {
    if (words[0]?.text === "cd") {
      const dir = words[1];
      const target = dir ? resolveWord(dir, current) : null;
      current = { ...current, relative: target };
      moved = true;
      continue;
    }
    const inner = shellString(words);
    if (inner !== null) {
      // `bash -c "..."` runs a command line of its own.
      const nested = shellCommands(inner.text).map((command) => command.map((w) => ({ ...w, source: inner.source })));
      out.push(...commandReferences(nested, current));
      continue;
    }
    for (const { word, role } of referencedWords(words)) {
      const target = resolveWord(word, current);
      if (target !== null) out.push({ word, role, target, via: PLACEHOLDER.test(word.text) ? "placeholder" : moved ? "cd" : "relative" });
    }
  }
  return out;
}

/** The root-relative path a word names, or null when it names nothing in the repository. */
function resolveWord(word: CommandWord, bases: CommandBases): string | null {
  if (word.generated || word.text.split("/").includes("..")) return null;
  const match = PLACEHOLDER.exec(word.text);
  let base: string | null;
  let rest: string;
  if (match) {
    base = (match[1] ?? match[2]) === "CLAUDE_PLUGIN_ROOT" ? bases.pluginRoot : bases.projectDir;
    rest = word.text.slice(match[0].length);
    if (rest !== "" && !rest.startsWith("/")) return null;
  } else {
    if (word.text.startsWith("/")) return null;
    base = bases.relative;
    rest = word.text;
  }
  if (base === null) return null;
  return resolveRelative(base, rest);
}

/** Whether nothing lies at a path: neither a file nor a folder holding files. */
export function isMissing(files: FileIndex, path: string): boolean {
  return !files.has(path) && !files.hasFolder(path);
}

const PLUGIN_MANIFEST = ".claude-plugin/plugin.json";

/**
 * The folder of the plugin an artifact belongs to: the plugin itself, or the innermost plugin
 * folder above it with the artifact's plugin key (copies of a plugin may share one).
 */
export function pluginFolderOf(artifact: Artifact, files: FileIndex, scope?: ScanScope): string | null {
  if (artifact.type === "plugin") return artifact.path;
  if (artifact.plugin === null) return null;
  if (scope) {
    // The nearest folder above that is this artifact's plugin.
    for (let dir = artifact.path; ; dir = dirname(dir)) {
      if (scope.pluginAt(dir)?.key === artifact.plugin) return dir;
      if (dir === "") break;
    }
  }
  for (let dir = dirname(artifact.path); ; dir = dirname(dir)) {
    if (files.has(join(dir, PLUGIN_MANIFEST))) return dir;
    if (dir === "") return null;
  }
}

/**
 * The folder of the project whose `.claude/settings.json`, `hooks/hooks.json` or `.mcp.json` an
 * artifact outside any plugin is.
 */
export function projectFolderOf(artifact: Artifact): string {
  const dir = dirname(artifact.path);
  return basename(dir) === ".claude" || basename(dir) === "hooks" ? dirname(dir) : dir;
}
