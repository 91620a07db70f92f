import { createHash } from "node:crypto";
import type { Artifact, ArtifactResult, Profile, Reason, Report, Finding, Status } from "../model.js";
import type { Capabilities } from "../capabilities/types.js";
import type { CacheStore } from "../cache/store.js";
import type { RuleSettings } from "../rules/settings.js";
import type { FileIndex, Rule, ScanScope } from "../rules/types.js";
import { SKIP_FILE_PATH, type AllowEntry } from "../skips/index.js";
import { filesToFetch } from "../source/needed.js";
import type { FileSource } from "../source/types.js";
import { VERSION } from "../version.js";
import { ManifestReader } from "./read.js";

/**
 * The content-addressed cache of a scan. Three kinds of entries, each keyed by a hash of
 * everything its value is computed from, so an entry is never stale, only unused:
 * - `r:` a whole report, by the listing (every path and blob sha), the rule set and the settings;
 * - `a:` one artifact's verdict, by its files' blob shas, the rule set, the profile and the rule
 *   settings, plus the dependencies its rules looked at, checked against the scan at hand;
 * - `b:` a blob discovery reads (marketplace.json, plugin.json, hooks and MCP files), by its sha.
 * Classification (exclusions, skip preferences, duplicates) is cheap and is always recomputed.
 */

/** Bumped whenever what an entry holds or how its key is made changes, so old entries go unused. */
const CACHE_FORMAT = 1;

/** A source that names each file by its blob sha and fetches blobs in batches when asked to. */
export interface ContentAddressedSource extends FileSource {
  readonly commitSha: string | null;
  readonly treeSha: string | null;
  /** Blobs fetched over the network so far. */
  readonly blobsFetched: number;
  blobSha(path: string): string | null;
  /**
   * Fetches these files' blobs in one batch, taking the `known` ones (by sha) as they are. Called
   * before the first read, it replaces what the source would have fetched ahead of reading.
   */
  prefetch(paths: readonly string[], known?: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** A blob's bytes if the source holds them already. */
  heldBlob(sha: string): Uint8Array | undefined;
}

export function contentAddressed(source: FileSource): ContentAddressedSource | null {
  const candidate = source as Partial<ContentAddressedSource>;
  return typeof candidate.blobSha === "function" && typeof candidate.prefetch === "function" && typeof candidate.heldBlob === "function" ? (source as ContentAddressedSource) : null;
}

export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

const ruleSets = new WeakMap<readonly Rule[], string>();

/**
 * The rule set as a hash: skilldex's version, and each rule's id, severities, reason and the
 * source text of its check, so that a build whose rules changed without a new version still
 * misses (a shared Redis outlives deployments).
 */
export function ruleSetId(rules: readonly Rule[]): string {
  let id = ruleSets.get(rules);
  if (id === undefined) {
    id = digest([VERSION, rules.map((r) => [r.id, r.types, r.reason, r.severity, r.severityByType ?? null, r.check.toString()])]);
    ruleSets.set(rules, id);
  }
  return id;
}

const identities = new WeakMap<Artifact, string>();

/** Everything discovery says of an artifact, which is everything a rule can see of it besides file contents. */
export function identityOf(artifact: Artifact): string {
  let id = identities.get(artifact);
  if (id === undefined) {
    id = digest([artifact.key, artifact.type, artifact.name, artifact.path, artifact.manifest, artifact.files, artifact.plugin, artifact.tentative ?? false, artifact.definedAt ?? null]);
    identities.set(artifact, id);
  }
  return id;
}

/** The verdict as rules across artifacts read it (marketplace/listed-plugins). */
function verdictDigest(result: Pick<ArtifactResult, "status" | "reason" | "findings">): string {
  return digest([result.status, result.reason, result.findings]);
}

/** A manifest reader that remembers which files were asked for, so a scan knows what a cold scan would have parsed. */
export class TrackingReader extends ManifestReader {
  readonly requested = new Set<string>();

  override load(path: string): ReturnType<ManifestReader["load"]> {
    this.requested.add(path);
    return super.load(path);
  }
}

/** The files discovery reads (every JSON manifest, and the settings file): fetched first, from the blob cache where it has them. */
export function discoveryFiles(files: readonly string[]): string[] {
  return filesToFetch(files).filter((path) => path.endsWith(".json") || path === SKIP_FILE_PATH);
}

/** Fetches the blobs discovery reads in one batch, except those the cache holds; returns the shas it held. */
export async function prefetchDiscovery(store: CacheStore, source: ContentAddressedSource, files: readonly string[]): Promise<{ paths: string[]; held: Set<string> }> {
  const paths = discoveryFiles(files);
  const shas = [...new Set(paths.map((p) => source.blobSha(p)).filter((s): s is string => s !== null))];
  const values = await store.getMany(shas.map((sha) => `b:${sha}`));
  const known = new Map<string, Uint8Array>();
  shas.forEach((sha, i) => {
    const value = values[i];
    if (value) known.set(sha, value);
  });
  await source.prefetch(paths, known);
  return { paths, held: new Set(known.keys()) };
}

/** The cap on one blob kept in the cache: larger manifests are refused by the reader anyway. */
const MAX_CACHED_BLOB_BYTES = 1024 * 1024;

export async function saveDiscoveryBlobs(store: CacheStore, source: ContentAddressedSource, fetched: { paths: string[]; held: Set<string> }): Promise<void> {
  const entries = new Map<string, Buffer>();
  for (const path of fetched.paths) {
    const sha = source.blobSha(path);
    if (sha === null || fetched.held.has(sha)) continue;
    const bytes = sha === null ? undefined : source.heldBlob(sha);
    if (bytes && bytes.length <= MAX_CACHED_BLOB_BYTES) entries.set(`b:${sha}`, Buffer.from(bytes));
  }
  await store.setMany([...entries]);
}

/**
 * The key of a whole report: the listing (each path with its blob sha, which is what a tree sha
 * stands for, and known to every content-addressed source), the listing's warnings, and every
 * input of the scan besides the files.
 */
export function reportKey(input: { source: ContentAddressedSource; files: readonly string[]; listingWarnings: readonly string[]; rules: readonly Rule[]; profile: Profile; config: unknown; skipPreferences: boolean; base: string | null; repoName: string; root: string }): string {
  const { source } = input;
  return `r:${digest([CACHE_FORMAT, ruleSetId(input.rules), input.profile, input.config, input.skipPreferences, input.base, input.repoName, input.root, source.strategy, input.listingWarnings, input.files.map((f) => [f, source.blobSha(f)])])}`;
}

export async function cachedReport(store: CacheStore, key: string): Promise<Report | null> {
  const [value] = await store.getMany([key]);
  return value ? (JSON.parse(value.toString("utf8")) as Report) : null;
}

export async function saveReport(store: CacheStore, key: string, report: Report): Promise<void> {
  await store.setMany([[key, Buffer.from(JSON.stringify(report))]]);
}

/**
 * One thing a rule looked at beyond the artifact's own files, and what it saw:
 * `h` a path exists, `f` a folder holds files, `p` a file's parse (its sha, or null when the scan
 * had not read it), `a` the whole list of artifacts, `pl` the plugin of a folder, `bp` the
 * artifacts of one plugin, `v` the verdict of an artifact judged before.
 */
type Dependency = [kind: "h" | "f" | "p" | "a" | "pl" | "bp" | "v", subject: string, seen: string | boolean | null];

interface CachedVerdict {
  deps: Dependency[];
  status: Status;
  reason: Reason | null;
  findings: Finding[];
  capabilities?: Capabilities;
}

/** What validating one artifact recorded, for the cache to keep once its capabilities are attached. */
export interface Recorded {
  key: string;
  result: ArtifactResult;
  deps: Dependency[];
  verdict: Pick<ArtifactResult, "status" | "reason" | "findings">;
}

/** The scan as rules across artifacts see it, for recording what they look at and checking it again. */
export interface ScanView {
  scope: Omit<ScanScope, "verdict">;
  files: FileIndex;
  /** Whether a scan without the cache would have parsed this file by the time rules run: discovery read it, or it is the manifest of an artifact judged. */
  parsedInColdScan(path: string): boolean;
  /** The validation order of each artifact judged. */
  order: ReadonlyMap<Artifact, number>;
  /** A listed file's blob sha, which stands for its contents. */
  sha(path: string): string | null;
}

/**
 * Per scan: the artifact entries' keys, their lookup, and the scopes that record what each
 * validated artifact's rules look at.
 *
 * Why the key and the dependencies are what they are: an artifact's verdict is a function of its
 * own files (by blob sha: contents, through the load; paths, through the key), of everything
 * discovery says of it (identityOf), of the rules (ruleSetId), the profile and the rule settings
 * (severities and overrides matched on its path), and of what its rules look at across the scan:
 * paths that exist (command paths, component folders), other files' parses (a marketplace reads
 * its plugins' plugin.json), other artifacts (a subagent's skills, reserved names) and the
 * verdicts of artifacts judged before it (a marketplace is judged by its plugins'). The key holds
 * the first group; the second is recorded while the rules run, by wrapping the scope and the file
 * index they are given, and each entry is used only when every recorded dependency still answers
 * the same in this scan. A dependency that cannot be checked (a verdict not yet known) is a miss:
 * a miss costs one validation, a wrong hit a wrong check run.
 */
export class ArtifactCache {
  private readonly prefix: string;
  /** One per scan: the digest of every artifact is made once, however many rules ask. */
  private readonly answered = new WeakMap<ScanView, Answers>();

  constructor(
    private readonly store: CacheStore,
    private readonly source: ContentAddressedSource,
    /** `allow`: the approvals, which turn some security findings into notices after the rules ran. */
    options: { rules: readonly Rule[]; profile: Profile; settings: RuleSettings; allow: readonly AllowEntry[] },
  ) {
    this.prefix = digest([CACHE_FORMAT, ruleSetId(options.rules), options.profile, options.settings, options.allow]);
  }

  /** The entry's key, or null for an artifact the cache cannot vouch for (a file without a sha). */
  keyOf(artifact: Artifact, pluginArtifacts: string | null): string | null {
    const shas: string[] = [];
    for (const file of artifact.manifest ? [artifact.manifest, ...artifact.files] : artifact.files) {
      const sha = this.source.blobSha(file);
      if (sha === null) return null;
      shas.push(sha);
    }
    // A plugin's capabilities name its bin/ files, which are other artifacts: its artifacts are part of its key.
    return `a:${digest([this.prefix, identityOf(artifact), shas, pluginArtifacts])}`;
  }

  /**
   * The cached verdicts that still hold, checked in validation order so that a verdict one
   * depends on is known when it is checked.
   */
  async lookup(candidates: readonly { artifact: Artifact; key: string }[], view: ScanView): Promise<Map<Artifact, CachedVerdict>> {
    const values = await this.store.getMany(candidates.map((c) => c.key));
    const byIdentity = new Map<string, Artifact>();
    for (const artifact of view.order.keys()) byIdentity.set(identityOf(artifact), artifact);
    const entries = candidates.map((c, i) => ({ artifact: c.artifact, value: values[i] }));
    entries.sort((a, b) => (view.order.get(a.artifact) ?? 0) - (view.order.get(b.artifact) ?? 0));
    const hits = new Map<Artifact, CachedVerdict>();
    const answers = this.answers(view);
    for (const { artifact, value } of entries) {
      if (!value) continue;
      let entry: CachedVerdict;
      try {
        entry = JSON.parse(value.toString("utf8")) as CachedVerdict;
      } catch {
        continue;
      }
      const before = view.order.get(artifact) ?? 0;
      const holds = entry.deps.every(([kind, subject, seen]) => {
        if (kind !== "v") return answers.answer(kind, subject) === seen;
        const other = byIdentity.get(subject);
        const at = other === undefined ? undefined : view.order.get(other);
        if (other === undefined || at === undefined || at >= before) return seen === null;
        const known = hits.get(other);
        return known !== undefined && verdictDigest(known) === seen;
      });
      if (holds) hits.set(artifact, entry);
    }
    return hits;
  }

  /**
   * The scope and file index one artifact's rules get: the scan's own, answering the same, with
   * every answer written down. `missing` collects files a scan without the cache would have
   * parsed but this one has not read (they belong to artifacts that came from the cache): the
   * caller reads them and runs the rules again.
   */
  recording(view: ScanView, artifact: Artifact, reader: TrackingReader, verdicts: ReadonlyMap<Artifact, ArtifactResult>): { scope: ScanScope; files: FileIndex; deps: Map<string, Dependency>; missing: Set<string> } {
    const deps = new Map<string, Dependency>();
    const missing = new Set<string>();
    const answers = this.answers(view);
    const note = (kind: Dependency[0], subject: string, seen: Dependency[2]): void => void deps.set(`${kind}\0${subject}`, [kind, subject, seen]);
    const ask = <T extends string | boolean | null>(kind: Exclude<Dependency[0], "v">, subject: string): T => {
      const seen = answers.answer(kind, subject) as T;
      note(kind, subject, seen);
      return seen;
    };
    const base = view.scope;
    const before = view.order.get(artifact) ?? 0;
    const byPlugin = new Proxy(base.byPlugin, {
      get(target, property) {
        if (property === "get" || property === "has") {
          return (key: string) => {
            ask("bp", key);
            return property === "get" ? target.get(key) : target.has(key);
          };
        }
        // Iterating every plugin depends on every artifact.
        ask("a", "");
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const scope: ScanScope = {
      get artifacts() {
        ask("a", "");
        return base.artifacts;
      },
      parsed(path) {
        if (ask("p", path) === null) return null;
        if (!reader.requested.has(path)) missing.add(path);
        return reader.parsed(path);
      },
      verdict(other) {
        const at = view.order.get(other);
        const result = at !== undefined && at < before ? (verdicts.get(other) ?? null) : null;
        note("v", identityOf(other), result ? verdictDigest(result) : null);
        return result;
      },
      pluginAt(dir) {
        ask("pl", dir);
        return base.pluginAt(dir);
      },
      byPlugin,
    };
    const files: FileIndex = { has: (path) => ask<boolean>("h", path), hasFolder: (dir) => ask<boolean>("f", dir) };
    return { scope, files, deps, missing };
  }

  private answers(view: ScanView): Answers {
    let answers = this.answered.get(view);
    if (!answers) {
      answers = new Answers(view);
      this.answered.set(view, answers);
    }
    return answers;
  }

  async save(recorded: readonly Recorded[]): Promise<void> {
    const entries: [string, Buffer][] = [];
    for (const { key, result, deps, verdict } of recorded) {
      const entry: CachedVerdict = { deps, status: verdict.status, reason: verdict.reason, findings: verdict.findings, ...(result.capabilities ? { capabilities: result.capabilities } : {}) };
      entries.push([key, Buffer.from(JSON.stringify(entry))]);
    }
    await this.store.setMany(entries);
  }
}

/** Gives an artifact the verdict the cache held for it, as validating it would have. */
export function restoreVerdict(result: ArtifactResult, entry: CachedVerdict): void {
  result.status = entry.status;
  result.reason = entry.reason;
  result.findings = entry.findings;
  if (entry.capabilities) result.capabilities = entry.capabilities;
}

/** What the scan at hand answers to each kind of question rules ask, the same way when recording and when checking. */
class Answers {
  private all: string | null = null;

  constructor(private readonly view: ScanView) {}

  answer(kind: Exclude<Dependency[0], "v">, subject: string): string | boolean | null {
    const { scope, files } = this.view;
    switch (kind) {
      case "h":
        return files.has(subject);
      case "f":
        return files.hasFolder(subject);
      case "p":
        // The sha stands for the parse; null when a scan without the cache would have had none.
        return this.view.parsedInColdScan(subject) ? (this.view.sha(subject) ?? "unlisted") : null;
      case "a":
        this.all ??= digest(scope.artifacts.map(identityOf));
        return this.all;
      case "pl": {
        const plugin = scope.pluginAt(subject);
        return plugin ? identityOf(plugin) : null;
      }
      case "bp": {
        const list = scope.byPlugin.get(subject);
        return list ? digest(list.map(identityOf)) : null;
      }
    }
  }
}
