/**
 * The types every part of skilldex speaks. The JSON report (`skilldex/report@1`) is these types
 * serialised as they are, so a change here is a change of a public contract: additive only.
 */

import type { Capabilities, CapabilityChange } from "./capabilities/types.js";

/**
 * Every kind of artifact, in report order: the ones Claude Code's loader provides for a plugin
 * (`claude plugin validate --json` lists them under `provides`), plus plugins and marketplaces.
 */
export const ARTIFACT_TYPES = ["marketplace", "plugin", "skill", "command", "agent", "hook", "mcp", "lsp", "output-style", "monitor", "theme", "workflow", "bin", "module"] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export const STATUSES = ["success", "skipped", "failed"] as const;
export type Status = (typeof STATUSES)[number];

export type Change = "added" | "updated" | "unchanged" | null;

export const SKIP_REASON_CODES = ["in_skip_list", "excluded", "duplicate"] as const;
export type SkipReasonCode = (typeof SKIP_REASON_CODES)[number];

export const FAIL_REASON_CODES = [
  "yaml_parse_error",
  "json_parse_error",
  "missing_metadata",
  "invalid_field",
  "invalid_structure",
  "broken_reference",
  "too_large",
  "io_error",
] as const;
export type FailReasonCode = (typeof FAIL_REASON_CODES)[number];

export type ReasonCode = SkipReasonCode | FailReasonCode;

export interface Reason {
  code: ReasonCode;
  /** One sentence a maintainer can act on. */
  message: string;
  /** For `in_skip_list`: who asked, when, and where (a pull request or issue reference). */
  by?: string | null;
  at?: string | null;
  ref?: string | null;
  /** For `duplicate`: the path of the artifact that holds the key. */
  duplicateOf?: string;
  /** For `excluded`: the pattern that matched. */
  pattern?: string;
}

export type Severity = "error" | "warning" | "notice";

/** Lines and columns are 1-based and point at the offending key or value. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Present when `skilldex fix` can repair it: `safe` by default, `suggested` with `--suggested`. */
  fixable?: "safe" | "suggested";
}

/** An artifact as discovery sees it: everything here comes from paths alone. */
export interface Artifact {
  key: string;
  type: ArtifactType;
  /** The name part of the key: the folder or file name, namespaced by plugin where one encloses it. */
  name: string;
  /** The artifact's folder (skill, plugin, marketplace) or main file (everything else), relative to the root. */
  path: string;
  /** The file whose contents define the artifact; null for a plugin folder a marketplace lists without one. */
  manifest: string | null;
  /** Discovered from its path alone but only an artifact if its contents say so (`mcp.json`, `.claude/settings.json`). */
  tentative?: boolean;
  /** Every file that belongs to the artifact, the manifest first; used for change detection. */
  files: string[];
  /** The key of the enclosing plugin, if any. */
  plugin: string | null;
  /**
   * Where in the manifest the artifact's definition stands, when it is written inline in a larger
   * file (an LSP server map in a `strict: false` marketplace entry); the whole file otherwise.
   */
  definedAt?: (string | number)[];
}

export interface ArtifactResult {
  key: string;
  type: ArtifactType;
  name: string;
  path: string;
  files: string[];
  status: Status;
  change: Change;
  reason: Reason | null;
  findings: Finding[];
  /** Findings the baseline already holds: reported apart, and they fail nothing. */
  baselined?: Finding[];
  /** What the artifact lets an agent do, from its files alone; absent when it grants nothing listed. */
  capabilities?: Capabilities;
}

export type Profile = "claude-code" | "agentskills";
export const PROFILES: readonly Profile[] = ["claude-code", "agentskills"];

export type StatusCounts = Record<Status, number> & { discovered: number };

export interface Metrics {
  strategy: string;
  filesListed: number;
  filesRead: number;
  bytesRead: number;
  apiCalls: number;
  /** Bytes received over the network (a clone or the API); 0 for files already on disk. */
  bytesFetched: number;
  /** Artifacts unchanged against the base, out of all; null without a base. */
  preScanHitRate: number | null;
  /** Artifacts skipped by a skip preference, out of all. */
  skipAdoption: number;
  findings: Record<Severity, number>;
  /** Blobs fetched over the network (a clone or the API). */
  blobsFetched?: number;
  /** With the result cache: artifacts whose verdict came from it, artifacts validated, and whether the whole report came from it. */
  cache?: { artifacts: number; validated: number; report: boolean };
}

/** Milliseconds for each stage. */
export interface Timings {
  listing: number;
  discovery: number;
  readingAndParsing: number;
  validation: number;
  changeDetection: number;
  total: number;
  [stage: string]: number;
}

export const REPORT_SCHEMA = "skilldex/report@1";

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: "skilldex"; version: string };
  root: string;
  profile: Profile;
  base: string | null;
  totals: StatusCounts;
  byType: Record<ArtifactType, StatusCounts>;
  artifacts: ArtifactResult[];
  /** Artifacts at the base whose key no artifact holds any more; present exactly when a base was given. */
  removed?: { key: string; type: ArtifactType; path: string; change: "removed" }[];
  /** Capabilities added, widened and removed since the base; present exactly when a base was given. */
  capabilityChanges?: CapabilityChange[];
  metrics: Metrics;
  timings: Timings;
  /** Problems that belong to no artifact: an unreadable folder, a symlink loop, a stale skip entry. */
  warnings: string[];
  /** The settings file's `rules:` and `overrides:` when it has any; each override says how many artifacts it matched. */
  settings?: { rules: Record<string, Severity | "off">; overrides: { files: string[]; rules: Record<string, Severity | "off">; artifacts: number }[] };
  /** When a baseline was applied: its file, how many findings it held back, and its entries that no finding matches any more. */
  baseline?: { file: string; baselined: number; fixed: BaselineEntry[] };
  /** The commit and its tree the scan indexed, when the source knows them (a clone, the API). */
  indexed?: { commit: string | null; tree: string | null };
}

/** A finding the baseline file holds: its rule, its artifact and its fingerprint (as SARIF's partialFingerprints). */
export interface BaselineEntry {
  rule: string;
  key: string;
  fingerprint: string;
}

export function emptyCounts(): StatusCounts {
  return { discovered: 0, success: 0, skipped: 0, failed: 0 };
}
