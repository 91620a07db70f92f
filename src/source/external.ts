import { isMarketplaceManifest, manifestJson } from "../discover/hints.js";
import { dirname, EXTERNAL_FOLDER, join } from "../discover/paths.js";
import { MAX_MANIFEST_BYTES } from "../pipeline/read.js";
import { runLimited } from "./api.js";
import { checkGit, githubTarget, openRemote, type GitCheck, type RemoteOptions, type RemoteTarget } from "./select.js";
import type { FileListing, FileSource, ReadResult, SourceComparison } from "./types.js";
import { comparePaths } from "./workspace.js";

/** A plugin a marketplace lists from another repository. */
export interface ExternalPluginSpec {
  /** The entry's place in `plugins`, for pointing findings at it. */
  index: number;
  name: string;
  kind: "github" | "url" | "git-subdir";
  target: RemoteTarget;
}

export type ExternalPlugin = ExternalPluginSpec &
  ({ ok: true; source: FileSource; strategy: string; warnings: string[] } | { ok: false; reason: string });

export interface ExternalPluginsOptions extends RemoteOptions {
  /** `auto` clones and falls back to the API; `clone` or `api` only that way. */
  strategy?: "auto" | "clone" | "api";
  /** Plugins fetched at once; 4 by default. */
  concurrency?: number;
  /** The git check made for the scanned repository, so that git is looked for once. */
  git?: GitCheck;
  /** URL schemes an external source may use; `https` only by default, so a marketplace cannot point at the runner's own disk. */
  allowedSchemes?: readonly string[];
}

/**
 * The external plugins of a marketplace.json value: entries whose `source` is an object of kind
 * `github`, `url` or `git-subdir`. Entries of other kinds (npm, pip) and malformed entries are
 * returned as problems, each with its reason.
 */
export function externalPluginSpecs(
  marketplace: unknown,
  options: Pick<ExternalPluginsOptions, "serverUrl" | "allowedSchemes"> = {},
): { specs: ExternalPluginSpec[]; problems: { index: number; name: string; reason: string }[] } {
  const specs: ExternalPluginSpec[] = [];
  const problems: { index: number; name: string; reason: string }[] = [];
  const plugins = isRecord(marketplace) && Array.isArray(marketplace.plugins) ? marketplace.plugins : [];
  const allowed = options.allowedSchemes ?? ["https"];
  plugins.forEach((entry, index) => {
    if (!isRecord(entry) || !isRecord(entry.source) || typeof entry.name !== "string") return;
    const name = entry.name;
    const source = entry.source;
    const text = (key: string): string | null => (typeof source[key] === "string" && (source[key] as string).trim() !== "" ? (source[key] as string).trim() : null);
    const problem = (reason: string): void => void problems.push({ index, name, reason });
    // The name becomes a folder of the scan (`@external/<name>`): it may not climb out of it.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return problem(`the plugin name ${JSON.stringify(name)} cannot name a folder; use letters, digits, ".", "_" and "-"`);
    const sha = text("sha");
    if (sha !== null && !/^[0-9a-f]{40}$/i.test(sha)) return problem(`\`sha\` must be a full 40-character commit id, not ${JSON.stringify(sha)}`);
    const ref = sha ?? text("ref");
    const kind = source.source;
    try {
      if (kind === "github") {
        const repo = text("repo");
        if (repo === null) return problem("a github source needs `repo` (owner/name)");
        specs.push({ index, name, kind, target: githubTarget(repo, ref, options) });
      } else if (kind === "url" || kind === "git-subdir") {
        const url = text("url");
        if (url === null) return problem(`a ${kind} source needs \`url\``);
        const path = kind === "git-subdir" ? text("path") : null;
        if (kind === "git-subdir" && (path === null || path.split("/").includes(".."))) return problem("a git-subdir source needs `path`, a folder inside the repository");
        const target = urlTarget(url, ref, options, allowed);
        if (typeof target === "string") return problem(target);
        target.subdir = path === null ? null : path.replace(/^\.?\/+|\/+$/g, "");
        if (target.subdir) target.label += `:${target.subdir}`;
        specs.push({ index, name, kind, target });
      } else {
        problem(`${JSON.stringify(kind)} sources are not fetched; only github, url and git-subdir are`);
      }
    } catch (error) {
      problem((error as Error).message);
    }
  });
  return { specs, problems };
}

/**
 * Fetches every external plugin of a marketplace the way the repository itself would be fetched,
 * several at a time. A plugin that cannot be fetched fails alone, with the reason; the others go on.
 */
export async function fetchExternalPlugins(marketplace: unknown, options: ExternalPluginsOptions = {}): Promise<ExternalPlugin[]> {
  const log = options.log ?? (() => undefined);
  const { specs, problems } = externalPluginSpecs(marketplace, options);
  const results: ExternalPlugin[] = [];
  const byIndex = new Map<number, ExternalPlugin>();
  for (const p of problems) log("warning", `external plugin ${p.name}: ${p.reason}`, { plugin: p.name });
  if (specs.length === 0) return [];
  const git = options.git ?? (options.strategy === "api" ? { version: null } : await checkGit(options));
  await runLimited(
    specs.map((spec) => async () => {
      const opened = await openRemote(spec.target, { ...options, log }, git, options.strategy ?? "auto");
      const result: ExternalPlugin = opened.ok
        ? { ...spec, ok: true, source: opened.source, strategy: opened.source.strategy, warnings: opened.warnings }
        : { ...spec, ok: false, reason: opened.reason };
      if (!opened.ok) log("warning", `external plugin ${spec.name} cannot be fetched: ${opened.reason}`, { plugin: spec.name });
      else log("info", `external plugin ${spec.name} read from ${spec.target.label} by ${opened.source.strategy}`, { plugin: spec.name, strategy: opened.source.strategy });
      byIndex.set(spec.index, result);
    }),
    options.concurrency ?? 4,
  );
  for (const spec of specs) results.push(byIndex.get(spec.index) as ExternalPlugin);
  return results;
}

/** A plugin a marketplace lists from another repository that could not be fetched: it fails alone. */
export interface ExternalFailure {
  name: string;
  /** The folder it would have appeared under (`externalPluginDir`). */
  dir: string;
  /** The marketplace.json that lists it, and the entry's place in its `plugins`. */
  marketplaceFile: string;
  index: number;
  reason: string;
}

/** A source with the external plugins it could fetch mounted in it, and those it could not. */
export interface ExternalPlugins {
  source: FileSource;
  /** The folders fetched plugins appear under: plugin folders, as if their marketplace listed them locally. */
  mounted: string[];
  failures: ExternalFailure[];
}

/**
 * Fetches the plugins each marketplace of `source` lists from other repositories and mounts them
 * under it (`<marketplace>/@external/<name>`), before the scan starts, so that the scan reads one
 * tree. Disposing the returned source disposes every plugin fetched (and `source` itself).
 */
export async function withExternalPlugins(source: FileSource, options: ExternalPluginsOptions): Promise<ExternalPlugins> {
  const mounts: Mount[] = [];
  const failures: ExternalFailure[] = [];
  try {
    for (const file of (await source.listFiles()).files) {
      if (!isMarketplaceManifest(file)) continue;
      const read = await source.readFile(file, MAX_MANIFEST_BYTES);
      const marketplace = read.ok ? manifestJson(read.bytes) : undefined;
      if (!isRecord(marketplace)) continue;
      const marketplaceDir = dirname(dirname(file));
      for (const plugin of await fetchExternalPlugins(marketplace, options)) {
        const dir = externalPluginDir(marketplaceDir, plugin.name);
        if (plugin.ok) mounts.push({ dir, source: plugin.source });
        else failures.push({ name: plugin.name, dir, marketplaceFile: file, index: plugin.index, reason: plugin.reason });
      }
    }
  } catch (error) {
    await Promise.all(mounts.map((m) => m.source.dispose?.()));
    throw error;
  }
  return { source: mounts.length > 0 ? new MountedSource(source, mounts) : source, mounted: mounts.map((m) => m.dir), failures };
}

/** Where an external plugin's files appear in the scan: a folder beside the marketplace's own. */
export function externalPluginDir(marketplaceDir: string, name: string): string {
  return join(join(marketplaceDir, EXTERNAL_FOLDER), name);
}

export { EXTERNAL_FOLDER } from "../discover/paths.js";

export interface Mount {
  /** The folder the source's files appear under, e.g. `externalPluginDir("", "formatter")`. */
  dir: string;
  source: FileSource;
}

/**
 * One source made of the repository's own and each external plugin's under its folder, so that
 * discovery and the rules see one tree. A mount whose folder the repository already uses is left
 * out with a warning rather than mixing two plugins' files.
 */
export class MountedSource implements FileSource {
  readonly strategy: string;
  private readonly mounts: Mount[];
  private readonly dropped: string[] = [];

  constructor(
    private readonly base: FileSource,
    mounts: readonly Mount[],
  ) {
    this.strategy = base.strategy;
    this.mounts = [...mounts].sort((a, b) => b.dir.length - a.dir.length);
  }

  get apiCalls(): number {
    return [this.base, ...this.mounts.map((m) => m.source)].reduce((n, s) => n + (s.apiCalls ?? 0), 0);
  }

  get bytesFetched(): number {
    return [this.base, ...this.mounts.map((m) => m.source)].reduce((n, s) => n + (s.bytesFetched ?? 0), 0);
  }

  get localRoot(): string | null | undefined {
    return this.base.localRoot;
  }

  async listFiles(): Promise<FileListing> {
    const own = await this.base.listFiles();
    const files = [...own.files];
    const warnings = [...own.warnings];
    for (const mount of this.mounts) {
      if (files.some((f) => f.startsWith(`${mount.dir}/`))) {
        warnings.push(`${mount.dir}: the repository has files here, so the external plugin meant for it is not indexed.`);
        this.dropped.push(mount.dir);
        continue;
      }
      const listing = await mount.source.listFiles();
      files.push(...listing.files.map((f) => `${mount.dir}/${f}`));
      warnings.push(...listing.warnings.map((w) => `${mount.dir}: ${w}`));
    }
    files.sort(comparePaths);
    return { files, warnings };
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    const mount = this.mounts.find((m) => path.startsWith(`${m.dir}/`) && !this.dropped.includes(m.dir));
    return mount ? mount.source.readFile(path.slice(mount.dir.length + 1), maxBytes) : this.base.readFile(path, maxBytes);
  }

  /** The repository's own changes; external files have no base here, so the caller should give them no `change`. */
  compareWithBase(base: string): Promise<SourceComparison> {
    return this.base.compareWithBase(base);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.base, ...this.mounts.map((m) => m.source)].map((s) => s.dispose?.()));
  }
}

/** A git URL, or `owner/name`; recognised as a GitHub repository when it lives on the GitHub server. */
function urlTarget(url: string, ref: string | null, options: Pick<ExternalPluginsOptions, "serverUrl">, allowed: readonly string[]): RemoteTarget | string {
  if (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(url)) return githubTarget(url, ref, options);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL (ssh addresses such as git@host:owner/name are not fetched; use https)`;
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  if (!allowed.includes(scheme)) return `${scheme}: URLs are not fetched; use ${allowed.join(" or ")}`;
  if (parsed.username || parsed.password) return "a source URL must not hold credentials";
  const server = new URL(options.serverUrl || process.env.GITHUB_SERVER_URL || "https://github.com");
  const onGitHub = /^\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?\/?$/.exec(parsed.pathname);
  if (parsed.host === server.host && onGitHub) return { ...githubTarget(parsed.pathname.replace(/^\/|\/$/g, "").replace(/\.git$/, ""), ref, options), cloneUrl: url };
  return { cloneUrl: url, repo: null, ref, label: `${parsed.host}${parsed.pathname}${ref ? `@${ref}` : ""}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
