import { hasFilesUnder } from "../discover/paths.js";
import type { Artifact, ArtifactResult, Profile } from "../model.js";
import { artifactReason, runRules } from "../rules/run.js";
import type { RuleSettings } from "../rules/settings.js";
import type { FileIndex, Load, Rule, ScanScope } from "../rules/types.js";
import type { Unfetched } from "./artifacts.js";
import { digest, identityOf, restoreVerdict, type ArtifactCache, type ContentAddressedSource, type Recorded, type ScanView, type TrackingReader } from "./cache.js";
import type { Judged } from "./classify.js";
import type { ManifestReader } from "./read.js";

export interface ValidateOptions {
  reader: ManifestReader;
  files: readonly string[];
  /** Every artifact of the scan, for rules across artifacts. */
  artifacts: readonly Artifact[];
  profile: Profile;
  rules: readonly Rule[];
  /** The settings file's `rules:` and `overrides:`. */
  settings?: RuleSettings;
  /** The artifacts that stand for external plugins that could not be fetched, with why. */
  unfetched?: ReadonlyMap<Artifact, Unfetched>;
  /** With a result cache: artifacts whose entry still holds take their verdict from it; the others are fetched, validated and recorded. */
  cache?: { artifacts: ArtifactCache; reader: TrackingReader; source: ContentAddressedSource; discoveryReads: ReadonlySet<string> };
}

export interface Validated {
  readingAndParsing: number;
  validation: number;
  /** With a cache: the artifacts the rules judged (the others came from it), and what to keep of each. */
  judged?: Judged[];
  recorded?: Recorded[];
}

/** The order artifacts are judged in: marketplaces last, since Claude Code judges one by the plugins it lists, whose verdicts come first. */
export function validationOrder(judged: readonly Judged[]): number[] {
  return judged.map((_, i) => i).sort((a, b) => Number(judged[a]?.artifact.type === "marketplace") - Number(judged[b]?.artifact.type === "marketplace"));
}

/**
 * Runs the rules on every artifact left to judge and decides its status: failed with the reason
 * of its first error, or success. Returns the milliseconds spent reading and validating.
 */
export async function validate(judged: readonly Judged[], options: ValidateOptions): Promise<Validated> {
  const { reader, files, cache } = options;
  let mark = performance.now();
  // Rules across artifacts (a subagent's skills, dependency cycles) see the whole scan.
  const verdicts = new Map<Artifact, ArtifactResult>();
  // Built once: rules that look across artifacts look them up here, never by scanning them all.
  const plugins = new Map<string, Artifact>();
  const byPlugin = new Map<string, Artifact[]>();
  for (const a of options.artifacts) {
    if (a.type === "plugin") plugins.set(a.path, a);
    const owner = a.type === "plugin" ? a.key : a.plugin;
    if (owner === null) continue;
    const list = byPlugin.get(owner);
    if (list) list.push(a);
    else byPlugin.set(owner, [a]);
  }
  const scope: ScanScope = { artifacts: options.artifacts, parsed: (path) => reader.parsed(path), verdict: (artifact) => verdicts.get(artifact) ?? null, pluginAt: (dir) => plugins.get(dir), byPlugin };
  const fileSet = new Set(files);
  const fileIndex: FileIndex = { has: (path) => fileSet.has(path), hasFolder: (dir) => hasFilesUnder(files, dir) };
  const order = validationOrder(judged);

  let view: ScanView | null = null;
  const keys = new Map<Artifact, string>();
  let hits = new Map<Artifact, Parameters<typeof restoreVerdict>[1]>();
  if (cache) {
    const manifests = new Set(judged.flatMap(({ artifact }) => (artifact.manifest ? [artifact.manifest] : [])));
    view = {
      scope,
      files: fileIndex,
      parsedInColdScan: (path) => cache.discoveryReads.has(path) || manifests.has(path),
      order: new Map(order.map((i, n) => [(judged[i] as Judged).artifact, n])),
      sha: (path) => cache.source.blobSha(path),
    };
    for (const { artifact } of judged) {
      // An external plugin that could not be fetched is judged by its marketplace entry alone: not worth a key.
      if (options.unfetched?.has(artifact)) continue;
      const key = cache.artifacts.keyOf(artifact, artifact.type === "plugin" ? digest((byPlugin.get(artifact.key) ?? []).map(identityOf)) : null);
      if (key !== null) keys.set(artifact, key);
    }
    hits = await cache.artifacts.lookup([...keys].map(([artifact, key]) => ({ artifact, key })), view);
  }

  // The manifests of the artifacts left to judge: with a cache they travel in one batch, and no
  // others; a source that reads ahead starts on them.
  const toRead = judged.flatMap(({ artifact }) => (artifact.manifest && !hits.has(artifact) ? [artifact.manifest] : []));
  if (cache) await cache.source.prefetch(toRead);
  reader.readAhead(toRead);
  const loads: Load[] = [];
  for (const { artifact } of judged) loads.push(artifact.manifest && !hits.has(artifact) ? await reader.load(artifact.manifest) : { kind: "none" });
  const readingAndParsing = performance.now() - mark;

  mark = performance.now();
  const recorded: Recorded[] = [];
  const validated: Judged[] = [];
  for (const i of order) {
    const { artifact, result } = judged[i] as Judged;
    const hit = hits.get(artifact);
    if (hit) {
      restoreVerdict(result, hit);
      verdicts.set(artifact, result);
      continue;
    }
    const candidate = { artifact, load: loads[i] as Load, unfetched: options.unfetched?.get(artifact) };
    let outcome: ReturnType<typeof runRules>;
    let deps: Recorded["deps"] = [];
    if (cache && view) {
      // A rule may ask for the parse of a manifest whose artifact came from the cache: read it, and judge again.
      for (;;) {
        const recording = cache.artifacts.recording(view, artifact, cache.reader, verdicts);
        outcome = runRules(candidate, options.profile, options.rules, recording.files, recording.scope, options.settings);
        deps = [...recording.deps.values()];
        if (recording.missing.size === 0) break;
        for (const path of recording.missing) await reader.load(path);
      }
      validated.push(judged[i] as Judged);
    } else {
      outcome = runRules(candidate, options.profile, options.rules, fileIndex, scope, options.settings);
    }
    const { findings, reasons } = outcome;
    result.findings = findings;
    const reason = artifactReason(findings, reasons);
    if (reason) {
      result.status = "failed";
      result.reason = reason;
    }
    verdicts.set(artifact, result);
    const key = keys.get(artifact);
    if (key !== undefined) recorded.push({ key, result, deps, verdict: { status: result.status, reason: result.reason, findings: result.findings } });
  }
  const spent = { readingAndParsing, validation: performance.now() - mark };
  return cache ? { ...spent, judged: validated, recorded } : spent;
}
