import picomatch from "picomatch";
import type { Artifact, Report, Severity } from "../model.js";

/** What the settings file may set a rule to. */
export const RULE_LEVELS = ["error", "warning", "notice", "off"] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** `overrides:` entry: rule levels for the artifacts whose path or manifest a glob matches. */
export interface RuleOverride {
  files: string[];
  rules: Record<string, RuleLevel>;
}

/** `rules:` and `overrides:` of `.github/skilldex.yml`, ESLint's flat-config idea in YAML. */
export interface RuleSettings {
  rules: Record<string, RuleLevel>;
  overrides: RuleOverride[];
}

export const NO_RULE_SETTINGS: RuleSettings = { rules: {}, overrides: [] };

/** Where an artifact is: discovery's artifacts have a manifest, a report's results only their path. */
export type ArtifactPlace = Pick<Artifact, "path"> & { manifest?: string | null };

const matchers = new WeakMap<RuleOverride, (path: string) => boolean>();

function matcherOf(override: RuleOverride): (path: string) => boolean {
  let match = matchers.get(override);
  if (!match) {
    match = picomatch(override.files, { dot: true });
    matchers.set(override, match);
  }
  return match;
}

/** Whether an override's globs match the artifact: its folder or file, or its manifest. */
export function overrideApplies(override: RuleOverride, artifact: ArtifactPlace): boolean {
  const match = matcherOf(override);
  return match(artifact.path) || (typeof artifact.manifest === "string" && match(artifact.manifest));
}

/**
 * The level a rule runs at for one artifact: the profile's, then `rules:`, then each matching
 * override in file order, the last one winning, as in ESLint's flat config.
 */
export function configuredLevel(settings: RuleSettings | undefined, ruleId: string, artifact: ArtifactPlace, level: Severity | "off"): Severity | "off" {
  if (!settings) return level;
  let out = settings.rules[ruleId] ?? level;
  // Indexed: called once per rule per artifact, where an iterator would be made each time.
  for (let i = 0; i < settings.overrides.length; i++) {
    const override = settings.overrides[i] as RuleOverride;
    const set = override.rules[ruleId];
    if (set !== undefined && overrideApplies(override, artifact)) out = set;
  }
  return out;
}

/** What the JSON report says of the settings: the levels set, and how many artifacts each override matched. */
export function appliedSettings(settings: RuleSettings, artifacts: readonly ArtifactPlace[]): Report["settings"] | null {
  if (Object.keys(settings.rules).length === 0 && settings.overrides.length === 0) return null;
  return {
    rules: settings.rules,
    overrides: settings.overrides.map((o) => ({ files: o.files, rules: o.rules, artifacts: artifacts.filter((a) => overrideApplies(o, a)).length })),
  };
}

/** The rule settings a config carries (the settings file's parser adds them), or none. */
export function ruleSettingsOf(config: object): RuleSettings {
  const { rules, overrides } = config as Partial<RuleSettings>;
  return rules && overrides ? { rules, overrides } : NO_RULE_SETTINGS;
}
