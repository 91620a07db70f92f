import { randomUUID } from "node:crypto";
import { lstatSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readSettingsText } from "../config.js";
import { gitUserName } from "../git.js";
import { collectArtifacts } from "../pipeline/artifacts.js";
import { ManifestReader } from "../pipeline/read.js";
import { applySkipChanges, resolveSkipCommand, type SkipChange, SkipPreferencesDisabled, type SkipVerb, unwritableMessage } from "../skips/command.js";
import { parseSkipFile, SKIP_FILE_PATH, skipTimestamp } from "../skips/index.js";
import { isWithinFolder, WorkspaceSource } from "../source/workspace.js";
import { allowChange } from "./allow.js";
import { quoted, unresolved } from "./targets.js";
import { UsageError } from "./usage.js";

/** What `skilldex skip` needs of the command line it runs in. */
export interface SkipIo {
  stdout: (text: string) => void;
  cwd: string;
}

/**
 * `skilldex skip KEY_OR_PATH` and `skilldex unskip KEY_OR_PATH`: the skip command of src/skips,
 * resolved against the artifacts stage of the folder and written to its skip file in one rename.
 */
export async function skipCommand(verb: SkipVerb | "allow", args: string[], io: SkipIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      path: { type: "string" },
      config: { type: "string" },
      reason: { type: "string" },
      by: { type: "string" },
      ref: { type: "string" },
    },
  });
  const wanted = positionals.join(" ").trim();
  const missing = verb === "allow" ? "allow needs an artifact and a capability, such as `skilldex allow hook:my-plugin SessionStart`" : `${verb} needs an artifact key or path, such as \`skilldex ${verb} skill:legacy-pdf\``;
  if (!wanted) throw new UsageError(missing);
  if (verb === "unskip" && (values.reason || values.by || values.ref)) throw new UsageError("unskip takes no --reason, --by or --ref");
  if (verb === "allow" && values.reason) throw new UsageError("allow takes no --reason: the entry records what was approved, who, when and at which commit");
  const root = resolve(io.cwd, values.path ?? ".");
  const stats = statOrNull(root);
  if (!stats?.isDirectory()) throw new UsageError(`${root} ${stats ? "is not a folder" : "does not exist"}`);
  const configFile = values.config ? (isAbsolute(values.config) ? values.config : resolve(io.cwd, values.config)) : join(root, SKIP_FILE_PATH);
  // Where the file really is, refused before anything is read when a link leads out of the repository.
  const target = skipFileTarget(root, configFile, values.config !== undefined);
  const existing = readSkipFileText(target, shownPath(root, configFile));
  const config = existing === null ? parseSkipFile("") : parseSkipFile(existing, shownPath(root, configFile));

  // The artifacts stage alone: keys come from the listing and the manifests, nothing is validated.
  const reader = new ManifestReader(new WorkspaceSource(root));
  const { artifacts } = await collectArtifacts({ reader, repoName: basename(root) || "root" });
  if (verb === "allow") {
    const change = await allowChange(positionals, artifacts, config, reader, root, { by: values.by ?? (await gitUserName(root)), at: skipTimestamp(new Date()), ref: values.ref ?? null });
    return writeChange(verb, change, existing, target, io);
  }
  const resolution = resolveSkipCommand(verb, wanted, artifacts, config);
  switch (resolution.kind) {
    case "missing":
      throw new UsageError(missing);
    case "ambiguous":
    case "unknown":
      throw unresolved(resolution, wanted);
    case "unwritable":
      throw new UsageError(`${unwritableMessage(resolution.paths, quoted)}, then ${verb} again`);
    case "keys":
      break;
  }

  const by = verb === "skip" ? (values.by ?? (await gitUserName(root))) : null;
  const change = { verb, keys: resolution.keys, reason: values.reason ?? null, by, at: skipTimestamp(new Date()), ref: values.ref ?? null };
  return writeChange(verb, change, existing, target, io);
}

/** The change applied to the settings file's text and written in one rename, and what it did, a line a key. */
function writeChange(verb: SkipVerb | "allow", change: SkipChange, existing: string | null, target: string, io: SkipIo): number {
  let applied: ReturnType<typeof applySkipChanges>;
  try {
    applied = applySkipChanges(existing, [change]);
  } catch (error) {
    if (error instanceof SkipPreferencesDisabled) throw new UsageError(`${error.message}; set it to true to ${verb} artifacts`);
    throw error;
  }
  if (applied.changed) writeAtomically(target, applied.text);
  const [result] = applied.results as [(typeof applied.results)[number]];
  const what = change.verb === "allow" ? ` ${change.entry.capability} (${change.entry.fingerprint})` : "";
  for (const key of result.changed) io.stdout(`${verb === "allow" ? "allowed" : `${verb}ped`} ${key}${what}\n`);
  for (const key of result.unchanged) io.stdout(`${key}${what} was already ${verb === "skip" ? "skipped" : verb === "allow" ? "allowed" : "not skipped"}\n`);
  return 0;
}

function shownPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/**
 * The real path the skip file is read from and written to. A link (the file, or `.github`)
 * that leads out of the repository is refused: a pull request can add one, and writing
 * through it would create or change a file anywhere. A file named with --config outside the
 * repository is the user's choice and is written where it is.
 */
function skipFileTarget(root: string, file: string, explicit: boolean): string {
  const rootReal = realpathSync.native(root);
  const shown = shownPath(root, file);
  let real: string;
  const stats = statOrNull(file, lstatSync);
  try {
    real = realpathSync.native(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new UsageError(`${shown} cannot be read (${code ?? String(error)})`);
    if (stats?.isSymbolicLink()) throw new UsageError(`${shown} is a symlink to a file that does not exist; skilldex does not write through it`);
    real = join(realExistingFolder(dirname(file)), basename(file));
  }
  const namedOutside = explicit && !isWithinFolder(resolve(file), resolve(root)) && !isWithinFolder(resolve(file), rootReal);
  if (!isWithinFolder(real, rootReal) && !namedOutside) throw new UsageError(`${shown} leads through a symlink to a place outside the repository; skilldex does not write through it`);
  return real;
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's, plus the rest. */
function realExistingFolder(folder: string): string {
  const missing: string[] = [];
  for (let at = folder; ; at = dirname(at)) {
    try {
      return join(realpathSync.native(at), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(at) === at) throw error;
      // A dangling link would be created through, as a file link would: refuse it the same way.
      if (statOrNull(at, lstatSync)?.isSymbolicLink()) throw new UsageError(`${at} is a symlink to a folder that does not exist; skilldex does not write through it`);
      missing.push(basename(at));
    }
  }
}

/** What is at a path (the link itself, for lstat), or null when nothing is. */
function statOrNull(path: string, stat: (path: string) => Stats = statSync): Stats | null {
  try {
    return stat(path);
  } catch {
    return null;
  }
}

/** The skip file's text, read with the cap every settings file has; null when it does not exist. */
function readSkipFileText(real: string, shown: string): string | null {
  try {
    return readSettingsText(real, shown);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Replaces the file in one step: the text goes to a new file beside it, which is then renamed
 * over it, so a reader never sees half a file and a failed write leaves the old one.
 */
function writeAtomically(real: string, text: string): void {
  const folder = dirname(real);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(real)}.${randomUUID()}.tmp`);
  let mode = 0o666;
  try {
    mode = statSync(real).mode & 0o777;
  } catch {
    // A new file gets the default permissions.
  }
  try {
    writeFileSync(temp, text, { flag: "wx", mode });
    renameSync(temp, real);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
