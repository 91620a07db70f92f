import { hasFilesUnder } from "../discover/paths.js";
import type { Artifact, ArtifactResult, Profile } from "../model.js";
import { artifactReason, runRules } from "../rules/run.js";
import type { RuleSettings } from "../rules/settings.js";
import type { FileIndex, Load, Rule, ScanScope } from "../rules/types.js";
import type { Unfetched } from "./artifacts.js";
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
}

/**
 * Runs the rules on every artifact left to judge and decides its status: failed with the reason
 * of its first error, or success. Returns the milliseconds spent reading and validating.
 */
export async function validate(judged: readonly Judged[], options: ValidateOptions): Promise<{ readingAndParsing: number; validation: number }> {
  const { reader, files } = options;
  let mark = performance.now();
  const loads: Load[] = [];
  for (const { artifact } of judged) loads.push(artifact.manifest ? await reader.load(artifact.manifest) : { kind: "none" });
  const readingAndParsing = performance.now() - mark;

  mark = performance.now();
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
  // Marketplaces last: Claude Code judges one by the plugins it lists, whose verdicts come first.
  const order = judged.map((_, i) => i).sort((a, b) => Number(judged[a]?.artifact.type === "marketplace") - Number(judged[b]?.artifact.type === "marketplace"));
  for (const i of order) {
    const { artifact, result } = judged[i] as Judged;
    const { findings, reasons } = runRules({ artifact, load: loads[i] as Load, unfetched: options.unfetched?.get(artifact) }, options.profile, options.rules, fileIndex, scope, options.settings);
    result.findings = findings;
    const reason = artifactReason(findings, reasons);
    if (reason) {
      result.status = "failed";
      result.reason = reason;
    }
    verdicts.set(artifact, result);
  }
  return { readingAndParsing, validation: performance.now() - mark };
}
