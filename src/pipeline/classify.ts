import picomatch from "picomatch";
import { dirname } from "../discover/paths.js";
import type { Artifact, ArtifactResult, Reason } from "../model.js";
import type { SkilldexConfig, SkipEntry } from "../skips/index.js";

/** An artifact the rules judge, and the result they fill in. */
export interface Judged {
  artifact: Artifact;
  result: ArtifactResult;
}

export interface Classified {
  /** Every artifact's result, in discovery order, the ones skipped by a maintainer's word included. */
  results: ArtifactResult[];
  /** The artifacts left for the rules. */
  toValidate: Judged[];
  warnings: string[];
}

/**
 * A maintainer's word comes first: an excluded artifact or one with a skip preference is not
 * judged. Everything else goes to the rules; which copy of a key holds it is decided after them.
 */
export function classify(artifacts: readonly Artifact[], config: SkilldexConfig, skipPreferences: boolean): Classified {
  const skipByKey = new Map<string, SkipEntry>();
  if (skipPreferences) for (const entry of config.skip) if (!skipByKey.has(entry.key)) skipByKey.set(entry.key, entry);
  const excluders = config.exclude.map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true }) }));
  const preference = (key: string, artifact: Artifact): Reason | null => {
    // Without patterns, no artifact needs its parents listed.
    const paths = excluders.length > 0 ? pathAndParents(artifact) : [];
    const pattern = excluders.find((e) => paths.some((p) => e.test(p)))?.pattern;
    if (pattern !== undefined) return { code: "excluded", message: `Excluded by the pattern ${JSON.stringify(pattern)} in the skilldex config.`, pattern };
    const entry = skipByKey.get(key);
    if (entry) return { code: "in_skip_list", message: describeSkip(entry), by: entry.by, at: entry.at, ref: entry.ref };
    return null;
  };
  const results: ArtifactResult[] = [];
  const toValidate: Judged[] = [];
  for (const artifact of artifacts) {
    const result: ArtifactResult = { key: artifact.key, type: artifact.type, name: artifact.name, path: artifact.path, files: artifact.files, status: "success", change: null, reason: null, findings: [] };
    results.push(result);
    const reason = preference(artifact.key, artifact);
    if (reason) skip(result, reason);
    else toValidate.push({ artifact, result });
  }
  const keys = new Set(results.map((r) => r.key));
  const warnings = [...skipByKey.values()].filter((entry) => !keys.has(entry.key)).map((entry) => `The skip entry ${entry.key} matches no artifact; remove it with \`skilldex unskip ${entry.key}\`.`);
  return { results, toValidate, warnings };
}

/**
 * Every copy is validated; of the copies of one key, the one Claude Code would load keeps it,
 * and a valid other copy is a duplicate (an invalid one stays failed: its error is real).
 */
export function markDuplicates(judged: readonly Judged[], listedPluginDirs: readonly string[]): void {
  const holders = keyHolders(judged.map(({ artifact }) => artifact), listedPluginDirs);
  for (const { artifact, result } of judged) {
    const holder = holders.get(artifact.key);
    if (holder === undefined || holder === artifact || result.status === "failed") continue;
    skip(result, {
      code: "duplicate",
      message: `The key ${artifact.key} is held by the copy at ${holder.path || "."}; this valid copy at ${artifact.path || "."} is not indexed.`,
      duplicateOf: holder.path,
    });
    result.findings = [];
  }
}

/**
 * The copy of each key that keeps it: the one Claude Code would load (in a plugin folder a
 * marketplace lists, or a project's own `.claude/`), then one in any plugin, then the shallowest
 * path, then path order.
 */
export function keyHolders(artifacts: readonly Artifact[], listedPluginDirs: readonly string[]): Map<string, Artifact> {
  const listed = new Set(listedPluginDirs);
  const loaded = (artifact: Artifact): boolean => {
    if (artifact.type === "marketplace" || artifact.path === ".claude" || artifact.path.startsWith(".claude/")) return true;
    for (let dir = artifact.path; dir !== ""; dir = dirname(dir)) if (listed.has(dir)) return true;
    return false;
  };
  const rank = (artifact: Artifact): number => (loaded(artifact) ? 0 : artifact.plugin !== null || (artifact.type === "plugin" && artifact.manifest !== null) ? 1 : 2);
  const depth = (artifact: Artifact): number => (artifact.path === "" ? 0 : artifact.path.split("/").length);
  const better = (a: Artifact, b: Artifact): boolean => (rank(a) - rank(b) || depth(a) - depth(b) || (a.path < b.path ? -1 : 1)) < 0;
  const holders = new Map<string, Artifact>();
  for (const artifact of artifacts) {
    const current = holders.get(artifact.key);
    if (current === undefined || better(artifact, current)) holders.set(artifact.key, artifact);
  }
  return holders;
}

function skip(result: ArtifactResult, reason: Reason): void {
  result.status = "skipped";
  result.reason = reason;
}

export function describeSkip(entry: SkipEntry): string {
  const parts = ["Skipped by preference"];
  if (entry.by) parts.push(`of @${entry.by.replace(/^@/, "")}`);
  if (entry.at) parts.push(`on ${entry.at.slice(0, 10)}`);
  if (entry.ref) parts.push(`in ${entry.ref}`);
  return `${parts.join(" ")}: ${entry.reason ?? "no reason given"}.`.replace(/\.\.$/, ".");
}

function pathAndParents(artifact: Artifact): string[] {
  const out = [artifact.path];
  if (artifact.manifest && artifact.manifest !== artifact.path) out.push(artifact.manifest);
  for (let dir = dirname(artifact.path); dir !== ""; dir = dirname(dir)) out.push(dir);
  return out;
}
