import type { Artifact, ArtifactResult, ArtifactType, FailReasonCode, Profile, Severity } from "../model.js";
import type { ParsedJson } from "../parse/json.js";
import type { ParsedMarkdown } from "../parse/markdown.js";
import type { ParsedScript } from "../parse/script.js";
import type { Span } from "../parse/position.js";
import type { TextProblem } from "../parse/text.js";

/** What reading the manifest gave, before any format was parsed. */
export type Load =
  | { kind: "none" }
  | { kind: "io_error"; message: string }
  | { kind: "too_large"; size: number; limit: number }
  | { kind: "text"; problems: TextProblem[]; parsed: ParsedMarkdown | ParsedJson | ParsedScript | null };

/** Every file of the scan, for rules that check that a reference points somewhere. */
export interface FileIndex {
  has(path: string): boolean;
  /** Whether any file lies below this folder. */
  hasFolder(dir: string): boolean;
}

export interface RuleFindingInput {
  message: string;
  span: Span;
  /** Defaults to the artifact's manifest. */
  file?: string;
  /** Defaults to the rule's own reason code. */
  reason?: FailReasonCode;
  /** How `skilldex fix` repairs what this finding says, when it can. */
  fix?: RuleFix;
}

/**
 * `safe` cannot change what Claude Code or the specification loads, only make it loadable;
 * `suggested` changes meaning, so it is applied only when asked for.
 */
export type FixLevel = "safe" | "suggested";

/** Replace `[start, end)` of a file's text with `text`; offsets count UTF-16 units of the text as read, a BOM included. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/**
 * A repair of one finding, in the finding's file. The positions come from the parse that made
 * the finding; the text is read again only when the fix is applied, so a scan keeps no text.
 */
export interface RuleFix {
  level: FixLevel;
  edits(text: string): Omit<TextEdit, "file">[];
}

export interface RuleContext {
  artifact: Artifact;
  profile: Profile;
  load: Load;
  /** The parsed manifest when it was Markdown and could be read. */
  markdown: ParsedMarkdown | null;
  /** The parsed manifest when it was JSON and is valid. */
  json: ParsedJson | null;
  /** The manifest's text when it is a script (a workflow). */
  script: ParsedScript | null;
  files: FileIndex;
  /**
   * Every artifact discovered in the scan and the parsed files already read, for rules across
   * artifacts; absent when the caller has no such view, and those rules then stay silent.
   */
  scope?: ScanScope;
  /** When the artifact is a plugin a marketplace lists from another repository that could not be fetched: its entry, and why. */
  unfetched?: { marketplaceFile: string; index: number; reason: string };
  report(finding: RuleFindingInput): void;
}

export interface ScanScope {
  artifacts: readonly Artifact[];
  /** A file's parsed contents if the scan read it (manifests and frontmatter files), else null. */
  parsed(path: string): ParsedMarkdown | ParsedJson | ParsedScript | null;
  /**
   * The verdict of an artifact the scan has already judged, or null. Marketplaces are judged
   * after every other artifact, so their rules see the verdicts of the plugins they list.
   */
  verdict(artifact: Artifact): ArtifactResult | null;
  /** The plugin artifact of a folder, if that folder is a plugin. */
  pluginAt(dir: string): Artifact | undefined;
  /** The artifacts of each plugin, the plugin itself included, by the plugin's key. */
  byPlugin: ReadonlyMap<string, readonly Artifact[]>;
}

/**
 * One check with a stable id. A rule knows nothing of other rules or of how its findings are
 * shown; adding one means adding a module and a line in the registry.
 */
export interface Rule {
  /** `<type or area>/<what it checks>`, stable across releases: people search for it. */
  id: string;
  description: string;
  types: readonly ArtifactType[];
  /** The reason code an error from this rule gives the artifact. */
  reason: FailReasonCode;
  severity: Record<Profile, Severity | "off">;
  /** Where a reference treats one artifact type differently, that type's severities. */
  severityByType?: Partial<Record<ArtifactType, Partial<Record<Profile, Severity | "off">>>>;
  /** How to fix what the rule finds, in a sentence or two (for the rules reference). */
  fix: string;
  /** The level of the fixes this rule offers with some of its findings, for the rules reference. */
  fixable?: FixLevel;
  /** A finding as a person sees it, for the rules reference. */
  example: { file: string; message: string; line: number; column: number };
  check(context: RuleContext): void;
}

/** The same severity in both profiles: for what every loader agrees on. */
export function always(severity: Severity): Record<Profile, Severity> {
  return { "claude-code": severity, agentskills: severity };
}

/** The severity a rule has for one artifact type under one profile. */
export function severityOf(rule: Rule, type: ArtifactType, profile: Profile): Severity | "off" {
  return rule.severityByType?.[type]?.[profile] ?? rule.severity[profile];
}
