import { findCapability, namedCapabilities, type NamedCapability } from "../capabilities/approvals.js";
import { capabilitiesOf } from "../capabilities/extract.js";
import type { Artifact } from "../model.js";
import { binNamesByPlugin } from "../pipeline/capabilities.js";
import type { ManifestReader } from "../pipeline/read.js";
import { sortResults } from "../pipeline/report.js";
import { type AllowChange, resolveSkipCommand } from "./command.js";
import type { AllowEntry, SkilldexConfig } from "./index.js";

/**
 * The approval command, whoever asks: `skilldex allow ARTIFACT CAPABILITY` on the command line and
 * `/skilldex allow ARTIFACT CAPABILITY` in a comment to the App. The artifact resolves as a skip
 * command's does; the capability is named as the capability section lists it, and the entry
 * records the fingerprint of what it is at the approved commit. Only where the manifest is read
 * from and where the settings file is written differ.
 */

/** Who approves, when, where and at which commit. */
export type Approver = Pick<AllowEntry, "by" | "at" | "ref" | "commit">;

export type AllowResolution =
  | { kind: "entry"; change: AllowChange; capability: NamedCapability }
  /** No artifact, or no capability, was given. */
  | { kind: "missing"; what: "artifact" | "capability" }
  /** Nothing matches the artifact; the nearest keys or paths, if any are near. */
  | { kind: "unknown"; suggestions: string[] }
  | { kind: "ambiguous"; candidates: string[] }
  | { kind: "unwritable"; paths: string[] }
  /** A folder that holds several artifacts: an approval is for one. */
  | { kind: "several"; keys: string[] }
  /** The artifact has no capability of that name; the ones it has. */
  | { kind: "no_capability"; key: string; wanted: string; available: string[] };

/**
 * Resolves `allow ARTIFACT CAPABILITY` against the artifacts stage's artifacts, reading the
 * artifact's manifest through `reader` to fingerprint the capability as it is now.
 */
export async function resolveAllowCommand(
  target: string | null,
  wanted: string | null,
  artifacts: readonly Artifact[],
  config: SkilldexConfig,
  reader: ManifestReader,
  approver: Approver,
): Promise<AllowResolution> {
  const resolution = resolveSkipCommand("skip", target, artifacts, config);
  if (resolution.kind !== "keys") return resolution.kind === "missing" ? { kind: "missing", what: "artifact" } : resolution;
  if (resolution.keys.length > 1) return { kind: "several", keys: resolution.keys };
  const key = resolution.keys[0] as string;
  if (wanted === null || wanted.trim() === "") return { kind: "missing", what: "capability" };
  // Of several copies of a key, the one the report lists first is the one a scan judges.
  const copies = artifacts.filter((a) => a.key === key);
  sortResults(copies);
  const artifact = copies[0] as Artifact;
  const load = artifact.manifest ? await reader.load(artifact.manifest) : null;
  const parsed = load?.kind === "text" && load.parsed?.format !== "script" ? load.parsed : null;
  const named = namedCapabilities(capabilitiesOf(artifact, parsed, binNamesByPlugin(artifacts).get(key)));
  const capability = findCapability(named, wanted);
  if (!capability) return { kind: "no_capability", key, wanted: wanted.trim(), available: named.map((c) => c.id) };
  const entry: AllowEntry = { key, capability: capability.id, fingerprint: capability.fingerprint, ...approver };
  return { kind: "entry", change: { verb: "allow", keys: [key], entry }, capability };
}

/**
 * Why an allow command cannot be recorded, for the resolutions the skip command has no words
 * for, naming keys and capabilities with `quote` (a code span in a comment, a string on a terminal).
 */
export function allowProblem(resolution: Extract<AllowResolution, { kind: "missing" | "several" | "no_capability" }>, quote: (text: string) => string): string {
  switch (resolution.kind) {
    case "missing":
      return resolution.what === "artifact"
        ? `allow needs an artifact and a capability, such as ${quote("hook:my-plugin SessionStart")}`
        : `allow needs the capability to approve after the artifact, such as ${quote("SessionStart")}, ${quote("mcp:github")} or ${quote("tools")}; the capability section of the check run lists them`;
    case "several": {
      const more = resolution.keys.length > 3 ? `, and ${resolution.keys.length - 3} more` : "";
      return `that names ${resolution.keys.length} artifacts (${resolution.keys.slice(0, 3).map(quote).join(", ")}${more}); an approval is for one: give its key`;
    }
    case "no_capability":
      return resolution.available.length === 0
        ? `${quote(resolution.key)} has no hook, MCP server, tool grant or program on PATH to approve`
        : `${quote(resolution.key)} has no capability ${quote(resolution.wanted)}; it has ${resolution.available.map(quote).join(", ")}`;
  }
}
