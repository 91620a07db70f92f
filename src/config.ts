import { closeSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { isWithinFolder } from "./source/workspace.js";
import { isAbsolute, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CONFIG, MAX_SETTINGS_BYTES, parseSkipFile, SKIP_FILE_PATH, type SkilldexConfig } from "./skips/index.js";

export { MAX_SETTINGS_BYTES };

export interface LoadedConfig {
  config: SkilldexConfig;
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
    if (code === "ENOENT" && !explicit) return { config: { ...DEFAULT_CONFIG, skip: [], exclude: [] }, path: null };
    throw new Error(code === "ENOENT" ? `config file ${shown} does not exist` : `config file ${shown} cannot be read (${code ?? String(error)})`, { cause: error });
  }
  return { config: parseSkipFile(text, shown), path: shown };
}

/**
 * A settings file's text, refused over MAX_SETTINGS_BYTES before it is read: the file comes
 * from the repository and may be of any size. File system errors keep their code.
 */
export function readSettingsText(file: string, shown: string): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_SETTINGS_BYTES) throw new Error(`config file ${shown} is ${size.toLocaleString("en-US")} bytes, over the ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB a settings file may hold`);
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

/**
 * `app-checks: false` in the settings file: the App posts no check run for the repository, which
 * runs the Action instead. True when the file is absent, says nothing, or cannot be parsed (the
 * scan then reports the malformed file on the check run).
 */
export function appChecksEnabled(text: string | null): boolean {
  if (text === null) return true;
  try {
    const settings = parseYaml(text) as Record<string, unknown> | null;
    return typeof settings !== "object" || settings === null || settings["app-checks"] !== false;
  } catch {
    return true;
  }
}
