import { capabilityChanges } from "../capabilities/diff.js";
import { capabilitiesOf } from "../capabilities/extract.js";
import type { Capabilities, CapabilityChange } from "../capabilities/types.js";
import type { Artifact, ArtifactResult } from "../model.js";
import type { SkilldexConfig } from "../skips/index.js";
import { NEVER_WALKED, type FileSource, type ReadResult, type SourceComparison } from "../source/types.js";
import { comparePaths } from "../source/workspace.js";
import { collectArtifacts } from "./artifacts.js";
import { classify, keyHolders, type Judged } from "./classify.js";
import { ManifestReader } from "./read.js";

/** The names each plugin's `bin/` folder puts on PATH, by the plugin's key. */
function binNamesByPlugin(artifacts: readonly Artifact[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of artifacts) {
    if (a.type !== "bin" || a.plugin === null) continue;
    const name = a.path.slice(a.path.lastIndexOf("/") + 1);
    out.set(a.plugin, [...(out.get(a.plugin) ?? []), name]);
  }
  return out;
}

/** Gives each judged artifact the capabilities its parsed manifest grants, from what the scan already read. */
export function attachCapabilities(judged: readonly Judged[], artifacts: readonly Artifact[], reader: ManifestReader): void {
  const bins = binNamesByPlugin(artifacts);
  for (const { artifact, result } of judged) {
    const parsed = artifact.manifest ? reader.parsed(artifact.manifest) : null;
    const capabilities = capabilitiesOf(artifact, parsed?.format === "script" ? null : parsed, bins.get(artifact.key));
    if (capabilities) result.capabilities = capabilities;
  }
}

export interface CapabilityChangesOptions {
  source: FileSource;
  repoName: string;
  config: SkilldexConfig;
  /** The scan's results, capabilities attached. */
  results: readonly ArtifactResult[];
}

/**
 * Capabilities added, widened and removed since the base. The base's artifacts are discovered
 * from its listing as the scan's are; only manifests that changed since are read again, as they
 * were at the base (an unchanged manifest grants what it grants now). Skipped artifacts are left
 * out on both sides: nobody judged them.
 */
export async function capabilityChangesSince(comparison: SourceComparison, options: CapabilityChangesOptions): Promise<CapabilityChange[]> {
  const { source } = options;
  const atBase: FileSource = {
    strategy: source.strategy,
    listFiles: async () => ({ files: [...comparison.atBase].filter((path) => !path.split("/").some((part) => NEVER_WALKED.has(part))).sort(comparePaths), warnings: [] }),
    readFile: (path: string, maxBytes: number): Promise<ReadResult> => (comparison.changed.has(path) && comparison.readAtBase ? comparison.readAtBase(path, maxBytes) : source.readFile(path, maxBytes)),
    compareWithBase: () => Promise.reject(new Error("the files of a base have no base of their own")),
  };
  const reader = new ManifestReader(atBase);
  const found = await collectArtifacts({ reader, repoName: options.repoName });
  const { toValidate } = classify(found.artifacts, options.config, false);
  const holders = keyHolders(toValidate.map(({ artifact }) => artifact), found.hints.listedPluginDirs);
  const bins = binNamesByPlugin(found.artifacts);
  const now = new Map<string, Capabilities | null>();
  const current = new Map<string, ArtifactResult>();
  const skipped = new Set<string>();
  for (const result of options.results) {
    if (result.status === "skipped") {
      skipped.add(result.key);
      continue;
    }
    current.set(result.key, result);
    now.set(result.key, result.capabilities ?? null);
  }
  const before = new Map<string, Capabilities | null>();
  for (const artifact of holders.values()) {
    if (skipped.has(artifact.key)) continue;
    const kept = current.get(artifact.key);
    if (kept && artifact.manifest !== null && !comparison.changed.has(artifact.manifest) && artifact.type !== "plugin") {
      before.set(artifact.key, kept.capabilities ?? null);
      continue;
    }
    const load = artifact.manifest ? await reader.load(artifact.manifest) : null;
    const parsed = load?.kind === "text" && load.parsed?.format !== "script" ? load.parsed : null;
    before.set(artifact.key, capabilitiesOf(artifact, parsed, bins.get(artifact.key)));
  }
  return capabilityChanges(before, now);
}
