import type { Report } from "../model.js";
import type { SkilldexConfig } from "../skips/index.js";
import { NEVER_WALKED, type FileSource, type ReadResult, type SourceComparison } from "../source/types.js";
import { comparePaths } from "../source/workspace.js";
import { collectArtifacts } from "./artifacts.js";
import { classify, keyHolders } from "./classify.js";
import { ManifestReader } from "./read.js";
import { sortResults } from "./report.js";

export type RemovedArtifact = NonNullable<Report["removed"]>[number];

export interface RemovedOptions {
  /** The scan's source: files unchanged since the base are read from it. */
  source: FileSource;
  repoName: string;
  /** The current settings: what they exclude was never indexed, so its removal is no news. */
  config: SkilldexConfig;
  /** Every key the scan reported, whatever its status. */
  keys: ReadonlySet<string>;
}

/** Reads at the base in flight at once: each can be a git process or a request. */
const BASE_READS = 8;

/**
 * The artifacts at the base whose key no artifact of the scan holds any more, one per key (the
 * copy that held it). They are discovered as the scan's are, from the base's listing and
 * manifests: a file unchanged since the base is read from the source as it is, one that changed
 * as it was at the base. A source that cannot read the base's files gives the current ones,
 * and the warning says so.
 */
export async function removedSince(base: string, comparison: SourceComparison, options: RemovedOptions): Promise<{ removed: RemovedArtifact[]; warnings: string[] }> {
  const { source } = options;
  const readAsNow: string[] = [];
  const limit = limiter(BASE_READS);
  const atBase: FileSource = {
    strategy: source.strategy,
    listFiles: async () => ({ files: [...comparison.atBase].filter((path) => !path.split("/").some((part) => NEVER_WALKED.has(part))).sort(comparePaths), warnings: [] }),
    readFile: (path: string, maxBytes: number): Promise<ReadResult> => {
      if (!comparison.changed.has(path)) return source.readFile(path, maxBytes);
      const readAtBase = comparison.readAtBase;
      if (readAtBase) return limit(() => readAtBase(path, maxBytes));
      readAsNow.push(path);
      return source.readFile(path, maxBytes);
    },
    compareWithBase: () => Promise.reject(new Error("the files of a base have no base of their own")),
  };
  const found = await collectArtifacts({ reader: new ManifestReader(atBase), repoName: options.repoName });
  const { toValidate } = classify(found.artifacts, options.config, false);
  const holders = keyHolders(toValidate.map(({ artifact }) => artifact), found.hints.listedPluginDirs);
  const removed: RemovedArtifact[] = [...holders.values()].filter((artifact) => !options.keys.has(artifact.key)).map(({ key, type, path }) => ({ key, type, path, change: "removed" }));
  sortResults(removed);
  const warnings =
    readAsNow.length === 0
      ? []
      : [`The ${source.strategy} source cannot read files as they were at ${base}: to find the artifacts removed since, ${readAsNow.length} manifest${readAsNow.length === 1 ? " that changed was" : "s that changed were"} read as now (${readAsNow.slice(0, 3).join(", ")}${readAsNow.length > 3 ? ", …" : ""}).`];
  return { removed, warnings };
}

/** Runs at most `n` tasks at once; the others wait their turn, in order. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its place to the next in line, so no newcomer slips in between.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
