import type { Artifact, ArtifactType, FailReasonCode, Profile, Severity } from "../model.js";
import type { ParsedJson } from "../parse/json.js";
import type { ParsedMarkdown } from "../parse/markdown.js";
import type { Span } from "../parse/position.js";
import type { TextProblem } from "../parse/text.js";

/** What reading the manifest gave, before any format was parsed. */
export type Load =
  | { kind: "none" }
  | { kind: "io_error"; message: string }
  | { kind: "too_large"; size: number; limit: number }
  | { kind: "text"; problems: TextProblem[]; parsed: ParsedMarkdown | ParsedJson | null };

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
}

export interface RuleContext {
  artifact: Artifact;
  profile: Profile;
  load: Load;
  /** The parsed manifest when it was Markdown and could be read. */
  markdown: ParsedMarkdown | null;
  /** The parsed manifest when it was JSON and is valid. */
  json: ParsedJson | null;
  files: FileIndex;
  report(finding: RuleFindingInput): void;
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
  check(context: RuleContext): void;
}

/** The same severity in both profiles: for what every loader agrees on. */
export function always(severity: Severity): Record<Profile, Severity> {
  return { "claude-code": severity, agentskills: severity };
}
