import { describe, expect, it } from "vitest";
import { addSkip, parseSkipFile, removeSkip, SkipFileError } from "../../src/skips/index.js";
import { applySkipChanges, resolveSkipCommand, SkipPreferencesDisabled, unwritableMessage } from "../../src/skips/command.js";
import { resolveTargets } from "../../src/skips/resolve.js";

const designExample = `profile: claude-code
exclude: ["archive/**"]
skip-preferences: true          # the feature flag; false ignores \`skip\` and refuses commands
skip:
  - key: skill:legacy-pdf
    reason: Using alternative implementation
    by: octocat
    at: 2026-11-20T10:00:00Z
    ref: "#42"
`;

const entry = (key: string, reason: string | null = null) => ({ key, reason, by: "hubot", at: "2026-11-21T09:00:00Z", ref: "#7" });

describe("the skip file", () => {
  it("reads the documented example", () => {
    expect(parseSkipFile(designExample)).toEqual({
      profile: "claude-code",
      exclude: ["archive/**"],
      skipPreferences: true,
      skip: [{ key: "skill:legacy-pdf", reason: "Using alternative implementation", by: "octocat", at: "2026-11-20T10:00:00Z", ref: "#42" }],
    });
  });

  it("reads an empty file as the defaults", () => {
    expect(parseSkipFile("# nothing yet\n")).toEqual({ profile: null, exclude: [], skipPreferences: true, skip: [] });
  });

  it.each([
    ["skip: [\n", /^\.github\/skilldex\.yml:\d+:\d+: not valid YAML/],
    ["- a\n", /1:1: the file must be a mapping/],
    ["profile: strict\n", /1:10: profile must be one of claude-code, agentskills/],
    ["skip-preferences: yes please\n", /skip-preferences must be true or false/],
    ["skips:\n  - key: skill:a\n", /1:1: unknown setting "skips"/],
    ["skip:\n  - reason: no key\n", /2:5: this skip entry has no key/],
    ["skip:\n  - key: legacy-pdf\n", /"legacy-pdf" is not an artifact key/],
    ["skip:\n  - key: skill:a\n    reasn: typo\n", /3:5: unknown skip entry field "reasn"/],
    ["exclude: archive\n", /exclude must be a list/],
  ])("refuses %j with one clear error", (text, message) => {
    expect(() => parseSkipFile(text)).toThrow(SkipFileError);
    expect(() => parseSkipFile(text)).toThrow(message);
  });

  it("adds an entry keeping every comment and the order of keys", () => {
    const { text, changed } = addSkip(designExample, entry("command:deploy", "Broken on Windows"));
    expect(changed).toBe(true);
    expect(text.startsWith(designExample.trimEnd())).toBe(true);
    expect(text).toContain("# the feature flag; false ignores `skip` and refuses commands");
    expect(text.slice(designExample.trimEnd().length)).toBe(
      '\n  - key: command:deploy\n    reason: Broken on Windows\n    by: hubot\n    at: 2026-11-21T09:00:00Z\n    ref: "#7"\n',
    );
    expect(parseSkipFile(text).skip.map((e) => e.key)).toEqual(["skill:legacy-pdf", "command:deploy"]);
  });

  it("creates a file with a header comment when there is none", () => {
    const { text } = addSkip(null, entry("skill:a"));
    expect(text).toMatch(/^# skilldex settings and skip preferences\./);
    expect(parseSkipFile(text).skip).toEqual([entry("skill:a")]);
  });

  it("adds to a file that has settings but no skip list, and to an empty flow list", () => {
    expect(parseSkipFile(addSkip("profile: agentskills # strict\n", entry("skill:a")).text)).toMatchObject({ profile: "agentskills", skip: [{ key: "skill:a" }] });
    const flow = addSkip("skip: []\n", entry("skill:b")).text;
    expect(flow).toBe('skip:\n  - key: skill:b\n    by: hubot\n    at: 2026-11-21T09:00:00Z\n    ref: "#7"\n');
  });

  it("changes nothing when the key is already skipped", () => {
    expect(addSkip(designExample, entry("skill:legacy-pdf"))).toEqual({ text: designExample, changed: false });
  });

  it("removes an entry and keeps the rest, comments included", () => {
    const both = addSkip(designExample, entry("command:deploy")).text;
    const { text, changed } = removeSkip(both, "skill:legacy-pdf");
    expect(changed).toBe(true);
    expect(text).toContain("# the feature flag");
    expect(parseSkipFile(text).skip.map((e) => e.key)).toEqual(["command:deploy"]);
    expect(removeSkip(text, "skill:legacy-pdf")).toEqual({ text, changed: false });
  });

  it("refuses to edit a file it cannot read back", () => {
    expect(() => addSkip("skip: {\n", entry("skill:a"))).toThrow(SkipFileError);
  });
});

describe("resolving what a person names", () => {
  const artifacts = [
    { key: "skill:legacy-pdf", path: "skills/legacy-pdf" },
    { key: "skill:csv", path: "skills/csv" },
    { key: "plugin:tools", path: "plugins/tools" },
    { key: "command:tools/run", path: "plugins/tools/commands/run.md" },
  ];

  it("resolves a key to itself", () => {
    expect(resolveTargets("skill:legacy-pdf", artifacts)).toEqual({ keys: ["skill:legacy-pdf"], suggestions: [] });
  });

  it("resolves a folder to every artifact below it", () => {
    expect(resolveTargets("plugins/tools/", artifacts).keys).toEqual(["plugin:tools", "command:tools/run"]);
    expect(resolveTargets("./skills/csv", artifacts).keys).toEqual(["skill:csv"]);
  });

  it("resolves a bare name when one artifact has it", () => {
    expect(resolveTargets("legacy-pdf", artifacts).keys).toEqual(["skill:legacy-pdf"]);
  });

  it("resolves a bare name by the last segment of a key, and a SKILL.md path to its skill", () => {
    const namespaced = [...artifacts, { key: "skill:database-design/postgresql", path: "db/skills/postgresql" }, { key: "command:ops/run", path: "ops/commands/run.md" }];
    expect(resolveTargets("postgresql", namespaced).keys).toEqual(["skill:database-design/postgresql"]);
    expect(resolveTargets("db/skills/postgresql/SKILL.md", namespaced).keys).toEqual(["skill:database-design/postgresql"]);
    expect(resolveTargets("run", namespaced)).toEqual({ keys: [], suggestions: ["command:tools/run", "command:ops/run"], ambiguous: true });
  });

  it("suggests the closest keys for an unknown one", () => {
    expect(resolveTargets("skill:legacy-pfd", artifacts)).toEqual({ keys: [], suggestions: ["skill:legacy-pdf"] });
    expect(resolveTargets("skill:zzzzzzzzzzzzzzzzzzzzzzzz", artifacts).suggestions).toEqual([]);
  });
});

describe("keys with unusual names", () => {
  it("round-trips a key whose folder name has a space", () => {
    const { text } = addSkip(null, { key: "skill:my skill", reason: "wip", by: null, at: null, ref: null });
    expect(parseSkipFile(text).skip.map((e) => e.key)).toEqual(["skill:my skill"]);
    expect(resolveTargets("skill:my skill", [{ key: "skill:my skill", path: "skills/my skill" }]).keys).toEqual(["skill:my skill"]);
  });

  it("reads the type of a key in any case", () => {
    expect(resolveTargets("Skill:pdf", [{ key: "skill:pdf", path: "skills/pdf" }]).keys).toEqual(["skill:pdf"]);
  });
});

describe("the skip command both the CLI and the App run", () => {
  const artifacts = [
    { key: "skill:database-design/postgresql", path: "database-design/skills/postgresql", type: "skill" as const },
    { key: "command:tools/run", path: "plugins/tools/commands/run.md", type: "command" as const },
    { key: "plugin:tools", path: "plugins/tools", type: "plugin" as const },
    { key: "skill: padded", path: "skills/ padded", type: "skill" as const },
  ];
  const config = parseSkipFile("skip:\n  - key: skill:Gone-Long-Ago\n");

  it("lists a folder's keys in the report's order, plugins first", () => {
    expect(resolveSkipCommand("skip", "plugins/tools", artifacts, config)).toEqual({ kind: "keys", keys: ["plugin:tools", "command:tools/run"] });
  });

  it("unskips a key the skip file holds in another case, and only unskip does", () => {
    expect(resolveSkipCommand("unskip", "SKILL:gone-long-ago", artifacts, config)).toEqual({ kind: "keys", keys: ["skill:Gone-Long-Ago"] });
    expect(resolveSkipCommand("skip", "skill:gone-long-ago", artifacts, config)).toMatchObject({ kind: "unknown" });
  });

  it("refuses a key the skip file could not hold, naming its path", () => {
    const resolution = resolveSkipCommand("skip", "skills/", artifacts, config);
    expect(resolution).toEqual({ kind: "unwritable", paths: ["skills/ padded"] });
    expect(unwritableMessage(["skills/ padded", "x"], (t) => `<${t}>`)).toMatch(/^<skills\/ padded> \(and 1 more\) cannot be recorded in \.github\/skilldex\.yml: /);
  });

  it("says when nothing was named", () => {
    expect(resolveSkipCommand("skip", "  ", artifacts, config)).toEqual({ kind: "missing" });
    expect(resolveSkipCommand("skip", null, artifacts, config)).toEqual({ kind: "missing" });
  });

  it("applies several changes in one edit and says what each changed", () => {
    const at = "2026-11-20T10:00:00Z";
    const { text, changed, results } = applySkipChanges("skip:\n  - key: skill:a\n", [
      { verb: "skip", keys: ["skill:a", "skill:b"], reason: "old", by: "octocat", at, ref: "#42" },
      { verb: "unskip", keys: ["skill:a", "skill:c"], reason: null, by: null, at, ref: null },
    ]);
    expect(changed).toBe(true);
    expect(results).toEqual([
      { changed: ["skill:b"], unchanged: ["skill:a"] },
      { changed: ["skill:a"], unchanged: ["skill:c"] },
    ]);
    expect(parseSkipFile(text).skip).toEqual([{ key: "skill:b", reason: "old", by: "octocat", at, ref: "#42" }]);
  });

  it("refuses every change when the file turns skip preferences off", () => {
    expect(() => applySkipChanges("skip-preferences: false\n", [{ verb: "skip", keys: ["skill:a"], reason: null, by: null, at: "2026-11-20T10:00:00Z", ref: null }])).toThrow(SkipPreferencesDisabled);
  });
});
