import { describe, expect, it } from "vitest";
import { loadConfig, parseSettings } from "../../src/config.js";
import type { Artifact, Profile } from "../../src/model.js";
import { parseMarkdown } from "../../src/parse/markdown.js";
import { artifactReason, runRules } from "../../src/rules/run.js";
import { RULES } from "../../src/rules/registry.js";
import { appliedSettings, ruleSettingsOf, type RuleSettings } from "../../src/rules/settings.js";
import { SkipFileError } from "../../src/skips/index.js";
import { makeTree } from "../helpers/tree.js";

const skillAt = (dir: string): Artifact => ({ key: `skill:${dir.split("/").pop()}`, type: "skill", name: dir.split("/").pop() as string, path: dir, manifest: `${dir}/SKILL.md`, files: [`${dir}/SKILL.md`], plugin: null });

/** A skill whose name differs from its folder and that has a field the spec does not allow: two warnings by default. */
const text = "---\nname: other-name\ndescription: Does things. Use when asked.\nextra: field\n---\nbody\n";

function judge(artifact: Artifact, settings?: RuleSettings, profile: Profile = "claude-code", manifest = text): { rules: Record<string, string>; failed: boolean } {
  const { findings, reasons } = runRules({ artifact, load: { kind: "text", problems: [], parsed: parseMarkdown(manifest) } }, profile, RULES, { has: () => true, hasFolder: () => true }, undefined, settings);
  return { rules: Object.fromEntries(findings.map((f) => [f.rule, f.severity])), failed: artifactReason(findings, reasons) !== null };
}

function errorOf(yaml: string): string {
  try {
    parseSettings(yaml, ".github/skilldex.yml");
  } catch (error) {
    expect(error).toBeInstanceOf(SkipFileError);
    return (error as Error).message;
  }
  throw new Error("no error");
}

describe("rules: and overrides: in the settings file", () => {
  it("warns by default, and follows rules: and the overrides whose globs match the artifact, the last one winning", () => {
    const settings = ruleSettingsOf(
      parseSettings(
        [
          "rules:",
          "  skill/allowed-fields: off",
          "  skill/name-matches-directory: error",
          "overrides:",
          '  - files: ["legacy/**"]',
          "    rules: { skill/name-matches-directory: notice }",
          "  - files: legacy/skills/kept/**",
          "    rules:",
          "      skill/name-matches-directory: warning",
          "      skill/allowed-fields: warning",
        ].join("\n"),
      ),
    );
    expect(judge(skillAt("skills/a"))).toEqual({ rules: { "skill/allowed-fields": "warning", "skill/name-matches-directory": "warning" }, failed: false });
    expect(judge(skillAt("skills/a"), settings)).toEqual({ rules: { "skill/name-matches-directory": "error" }, failed: true });
    expect(judge(skillAt("legacy/skills/a"), settings)).toEqual({ rules: { "skill/name-matches-directory": "notice" }, failed: false });
    expect(judge(skillAt("legacy/skills/kept"), settings)).toEqual({ rules: { "skill/allowed-fields": "warning", "skill/name-matches-directory": "warning" }, failed: false });
  });

  it("turns on a rule its profile leaves off", () => {
    const unrepairable = "---\nname: a\ndescription: \"unclosed\n---\nbody\n";
    expect(judge(skillAt("skills/a"), undefined, "agentskills", unrepairable).rules["frontmatter/yaml-unrepairable"]).toBeUndefined();
    const settings = ruleSettingsOf(parseSettings("rules:\n  frontmatter/yaml-unrepairable: notice\n"));
    expect(judge(skillAt("skills/a"), settings, "agentskills", unrepairable).rules["frontmatter/yaml-unrepairable"]).toBe("notice");
  });

  it("says which settings applied, and how many artifacts each override matched", () => {
    const settings = ruleSettingsOf(parseSettings('rules: {skill/allowed-fields: "off"}\noverrides:\n  - files: ["legacy/**"]\n    rules: {agent/name-required: warning}\n'));
    expect(appliedSettings(settings, [skillAt("legacy/skills/a"), skillAt("legacy/skills/b"), skillAt("skills/c")])).toEqual({
      rules: { "skill/allowed-fields": "off" },
      overrides: [{ files: ["legacy/**"], rules: { "agent/name-required": "warning" }, artifacts: 2 }],
    });
    expect(appliedSettings(ruleSettingsOf(parseSettings("profile: claude-code\n")), [])).toBeNull();
  });

  it.each([
    ["rules:\n  skill/allowed-field: \"off\"\n", '.github/skilldex.yml:2:3: unknown rule "skill/allowed-field" (did you mean "skill/allowed-fields"?); docs/rules.md lists them'],
    ["rules:\n  skill/allowed-fields: warn\n", '.github/skilldex.yml:2:25: skill/allowed-fields must be one of error, warning, notice, off, not "warn" (did you mean "warning"?)'],
    ["rules: [skill/allowed-fields]\n", '.github/skilldex.yml:1:8: rules must be a mapping of rule ids to error, warning, notice or "off", such as {skill/allowed-fields: "off"}'],
    ["overrides:\n  - file: [\"a/**\"]\n    rules: {}\n", '.github/skilldex.yml:2:5: unknown override field "file" (did you mean "files"?); the fields are files, rules'],
    ["overrides:\n  - rules: {skill/allowed-fields: error}\n", '.github/skilldex.yml:2:5: this override has no files: say which paths it applies to, such as files: ["legacy/**"]'],
    ["overrides:\n  - files: [\"a/**\"]\n    rules: {agent/nme-required: error}\n", '.github/skilldex.yml:3:13: unknown rule "agent/nme-required" (did you mean "agent/name-required"?); docs/rules.md lists them'],
  ])("refuses %j with the place and the nearest name", (yaml, message) => {
    expect(errorOf(yaml)).toBe(message);
  });

  it("keeps the places of the other settings' mistakes", () => {
    expect(errorOf('rules:\n  skill/allowed-fields: "off"\nexclude: [1]\n')).toBe(".github/skilldex.yml:3:11: each exclude pattern must be non-empty text");
    expect(errorOf("rules:\n  skill/allowed-fields: error\nskipp: []\n")).toMatch(/^\.github\/skilldex\.yml:3:1: unknown setting "skipp"/);
  });

  it("is read with the rest of the settings file", () => {
    const root = makeTree({ ".github/skilldex.yml": 'profile: agentskills\nexclude: ["archive/**"]\nrules:\n  skill/allowed-fields: "off"\n' });
    const { config } = loadConfig(root);
    expect(config).toMatchObject({ profile: "agentskills", exclude: ["archive/**"], rules: { "skill/allowed-fields": "off" }, overrides: [] });
    expect(loadConfig(makeTree({ "a.txt": "" })).config).toMatchObject({ rules: {}, overrides: [] });
  });
});
