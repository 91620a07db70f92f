import { Approvals, namedCapabilities } from "../capabilities/approvals.js";
import { capabilityChanges } from "../capabilities/diff.js";
import { hookEntries, serverEntries } from "../capabilities/entries.js";
import { capabilitiesOf } from "../capabilities/extract.js";
import type { Capabilities, CapabilityChange } from "../capabilities/types.js";
import type { Artifact, ArtifactResult, Finding } from "../model.js";
import type { ParsedJson } from "../parse/json.js";
import type { Span } from "../parse/position.js";
import type { AllowEntry, SkilldexConfig } from "../skips/index.js";
import { NEVER_WALKED, type FileSource, type ReadResult, type SourceComparison } from "../source/types.js";
import { comparePaths } from "../source/workspace.js";
import { collectArtifacts } from "./artifacts.js";
import { classify, keyHolders, type Judged } from "./classify.js";
import { ManifestReader } from "./read.js";

/** The names each plugin's `bin/` folder puts on PATH, by the plugin's key. */
export function binNamesByPlugin(artifacts: readonly Artifact[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of artifacts) {
    if (a.type !== "bin" || a.plugin === null) continue;
    const name = a.path.slice(a.path.lastIndexOf("/") + 1);
    out.set(a.plugin, [...(out.get(a.plugin) ?? []), name]);
  }
  return out;
}

/**
 * Gives each judged artifact the capabilities its parsed manifest grants, from what the scan
 * already read. The security findings inside a hook or MCP server that `allow:` approves as it
 * is now become notices that say who approved it: still in the report, no longer warnings.
 */
export function attachCapabilities(judged: readonly Judged[], artifacts: readonly Artifact[], reader: ManifestReader, allow: readonly AllowEntry[] = []): void {
  const bins = binNamesByPlugin(artifacts);
  const approvals = new Approvals(allow);
  for (const { artifact, result } of judged) {
    const parsed = artifact.manifest ? reader.parsed(artifact.manifest) : null;
    const capabilities = capabilitiesOf(artifact, parsed?.format === "script" ? null : parsed, bins.get(artifact.key));
    if (!capabilities) continue;
    result.capabilities = capabilities;
    if (approvals.size > 0 && parsed?.format === "json" && artifact.manifest !== null) downgradeApproved(result, artifact, parsed, approvals);
  }
}

/** The security findings within an approved hook's or server's definition, made notices. */
function downgradeApproved(result: ArtifactResult, artifact: Artifact, json: ParsedJson, approvals: Approvals): void {
  const named = namedCapabilities(result.capabilities);
  // namedCapabilities lists hooks, then servers, in the order the entries stand in the file.
  const places = [...hookEntries(artifact.type, json).map((e) => e.path), ...serverEntries(artifact.type, json).map((e) => e.path)];
  const approved: { span: Span; note: string }[] = [];
  named.forEach((capability, i) => {
    const entry = capability.kind === "hook" || capability.kind === "mcp-server" ? approvals.of(artifact.key, capability) : null;
    const path = places[i];
    if (!entry || !path) return;
    const who = [entry.by ? `by ${entry.by}` : null, entry.ref ? `in ${entry.ref}` : null, entry.commit ? `at ${entry.commit.slice(0, 7)}` : null].filter(Boolean).join(" ");
    approved.push({ span: json.locate(path), note: ` (${capability.id} is approved${who ? ` ${who}` : ""} in the settings' allow list, so this is a notice.)` });
  });
  for (const finding of result.findings) {
    if (!finding.rule.startsWith("security/") || finding.severity !== "warning" || finding.file !== artifact.manifest) continue;
    const place = approved.find(({ span }) => within(finding, span));
    if (!place) continue;
    finding.severity = "notice";
    finding.message += place.note;
  }
}

function within(finding: Finding, span: Span): boolean {
  const after = finding.line > span.line || (finding.line === span.line && finding.column >= span.column);
  const before = finding.line < span.endLine || (finding.line === span.endLine && finding.column <= span.endColumn);
  return after && before;
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
  return capabilityChanges(before, now, new Approvals(options.config.allow));
}
