import { closeSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isWithinFolder } from "./source/workspace.js";
import { isAbsolute, join, relative } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parse as parseYamlValue, type Node, type Pair } from "yaml";
import { thousands } from "./parse/text.js";
import { parseYaml } from "./parse/yaml.js";
import { RULES } from "./rules/registry.js";
import { NO_RULE_SETTINGS, RULE_LEVELS, type RuleLevel, type RuleOverride, type RuleSettings } from "./rules/settings.js";
import { DEFAULT_CONFIG, MAX_SETTINGS_BYTES, parseSkipFile, SKIP_FILE_PATH, SkipFileError, type SkilldexConfig } from "./skips/index.js";
import { closest } from "./skips/resolve.js";

export { MAX_SETTINGS_BYTES };

/** Everything `.github/skilldex.yml` says: the skip file's settings plus the rules' levels. */
export interface Settings extends SkilldexConfig, RuleSettings {}

export interface LoadedConfig {
  config: Settings;
  /** The file read, relative to the root when inside it; null when none was found. */
  path: string | null;
}

/**
 * Reads the repository's skilldex settings. The default file may be absent; a file named
 * explicitly must exist. A malformed file throws a SkipFileError with its place.
 */
export function loadConfig(root: string, configPath?: string | null): LoadedConfig {
  const explicit = configPath !== undefined && configPath !== null && configPath !== "";
  const absolute = explicit ? (isAbsolute(configPath) ? configPath : join(root, configPath)) : join(root, SKIP_FILE_PATH);
  const shown = relative(root, absolute).startsWith("..") ? absolute : relative(root, absolute) || absolute;
  let text: string;
  try {
    // The default file comes from the repository, so from a pull request: it may not lead out of it.
    if (!explicit && !isWithinFolder(realpathSync.native(absolute), realpathSync.native(root))) {
      throw new Error(`config file ${shown} is a symlink to a file outside the repository; skilldex does not read it`);
    }
    text = readSettingsText(absolute, shown);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    if (code === "ENOENT" && !explicit) return { config: { ...DEFAULT_CONFIG, skip: [], exclude: [], ...NO_RULE_SETTINGS }, path: null };
    throw new Error(code === "ENOENT" ? `config file ${shown} does not exist` : `config file ${shown} cannot be read (${code ?? String(error)})`, { cause: error });
  }
  return { config: parseSettings(text, shown), path: shown };
}

/**
 * A settings file's text, refused over MAX_SETTINGS_BYTES before it is read: the file comes
 * from the repository and may be of any size. File system errors keep their code.
 */
export function readSettingsText(file: string, shown: string): string {
  return readTextWithin(file, MAX_SETTINGS_BYTES, (size) => `config file ${shown} is ${thousands(size)} bytes, over the ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB a settings file may hold`);
}

/** A file's text, refused with `tooLarge`'s message over `limit` bytes before it is read. File system errors keep their code. */
export function readTextWithin(file: string, limit: number, tooLarge: (size: number) => string): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new Error(tooLarge(size));
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

const RULE_SETTING_KEYS = ["rules", "overrides"];
const OVERRIDE_KEYS = ["files", "rules"];

/**
 * Parses the whole settings file: `rules:` and `overrides:` here, the rest by the skip file's
 * parser. A mistake throws a SkipFileError at its line and column, with the nearest rule id or
 * level when one was mistyped.
 */
export function parseSettings(text: string, file = SKIP_FILE_PATH): Settings {
  const lineCounter = new LineCounter();
  const document = parseYaml(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const contents = document.contents;
  const pairs = document.errors.length === 0 && isMap(contents) ? contents.items.filter((p) => isScalar(p.key) && RULE_SETTING_KEYS.includes(String(p.key.value))) : [];
  // The skip file's parser knows its own keys only: it reads the text with these pairs blanked, places unchanged.
  const config = parseSkipFile(blank(text, pairs), file);
  const fail = (node: unknown, problem: string): never => {
    const { line, col } = lineCounter.linePos((node as Node | null | undefined)?.range?.[0] ?? 0);
    throw new SkipFileError(file, line, col, problem);
  };
  const settings: RuleSettings = { rules: {}, overrides: [] };
  for (const pair of pairs) {
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if ((pair.key as { value: string }).value === "rules") settings.rules = ruleLevels(value, fail);
    else settings.overrides = overrides(value, fail);
  }
  return { ...config, ...settings };
}

function ruleLevels(node: Node, fail: (node: unknown, problem: string) => never): Record<string, RuleLevel> {
  if (!isMap(node)) return fail(node, 'rules must be a mapping of rule ids to error, warning, notice or "off", such as {skill/allowed-fields: "off"}');
  const ids = RULES.map((r) => r.id);
  const out: Record<string, RuleLevel> = {};
  for (const pair of node.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!ids.includes(id)) fail(pair.key, `unknown rule ${JSON.stringify(id)}${suggestion(id, ids)}; docs/rules.md lists them`);
    const level = isScalar(pair.value) ? pair.value.value : undefined;
    if (level === false) fail(pair.value, `${id}: write "off" in quotes; unquoted, YAML 1.1 readers take off for false`);
    if (typeof level !== "string" || !(RULE_LEVELS as readonly string[]).includes(level)) {
      fail(pair.value ?? pair.key, `${id} must be one of ${RULE_LEVELS.join(", ")}, not ${JSON.stringify(level ?? null)}${typeof level === "string" ? suggestion(level, RULE_LEVELS) : ""}`);
    }
    out[id] = level as RuleLevel;
  }
  return out;
}

function overrides(node: Node, fail: (node: unknown, problem: string) => never): RuleOverride[] {
  if (!isSeq(node)) return fail(node, 'overrides must be a list of {files: [globs], rules: {...}}, such as [{files: ["legacy/**"], rules: {agent/name-required: warning}}]');
  return node.items.map((item) => {
    if (!isMap(item)) return fail(item, "each override must be a mapping with files and rules");
    const override: RuleOverride = { files: [], rules: {} };
    for (const pair of item.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!OVERRIDE_KEYS.includes(name)) fail(pair.key, `unknown override field ${JSON.stringify(name)}${suggestion(name, OVERRIDE_KEYS)}; the fields are ${OVERRIDE_KEYS.join(", ")}`);
      const value = pair.value as Node | null;
      if (name === "rules") {
        override.rules = value === null ? {} : ruleLevels(value, fail);
        continue;
      }
      const globs = isSeq(value) ? value.items : [value];
      for (const glob of globs) {
        if (!isScalar(glob) || typeof glob.value !== "string" || glob.value === "") fail(glob ?? pair.key, "each files pattern must be a non-empty glob, such as \"legacy/**\"");
        override.files.push((glob as { value: string }).value);
      }
    }
    if (override.files.length === 0) fail(item, "this override has no files: say which paths it applies to, such as files: [\"legacy/**\"]");
    return override;
  });
}

function suggestion(input: string, candidates: readonly string[]): string {
  const [nearest] = closest(input, candidates, 1);
  return nearest === undefined ? "" : ` (did you mean ${JSON.stringify(nearest)}?)`;
}

/** The text with the given top-level pairs replaced by spaces, line breaks kept, so every other place stays where it was. */
function blank(text: string, pairs: readonly Pair[]): string {
  let out = text;
  for (const pair of pairs) {
    const start = (pair.key as Node).range?.[0] ?? 0;
    const end = (pair.value as Node | null)?.range?.[2] ?? (pair.key as Node).range?.[2] ?? start;
    out = out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, " ") + out.slice(end);
  }
  return out;
}

/**
 * `app-checks: false` in the settings file: the App posts no check run for the repository, which
 * runs the Action instead. True when the file is absent, says nothing, or cannot be parsed (the
 * scan then reports the malformed file on the check run).
 */
export function appChecksEnabled(text: string | null): boolean {
  if (text === null) return true;
  try {
    const settings = parseYamlValue(text) as Record<string, unknown> | null;
    return typeof settings !== "object" || settings === null || settings["app-checks"] !== false;
  } catch {
    return true;
  }
}
