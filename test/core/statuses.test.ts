import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { byKey, git, makeGitRepo, makeTree, scanTree, skill, writeTree } from "../helpers/repo.js";

const skipFile = `# settings
skip-preferences: true
skip:
  - key: skill:legacy-pdf
    reason: Using alternative implementation
    by: octocat
    at: 2026-11-20T10:00:00Z
    ref: "#42"
`;

describe("skipped artifacts", () => {
  it("skips an artifact listed in the skip file, carrying who, when and why", async () => {
    const report = await scanTree({ ".github/skilldex.yml": skipFile, "skills/legacy-pdf/SKILL.md": skill("legacy-pdf") });
    const legacy = byKey(report, "skill:legacy-pdf");
    expect(legacy.status).toBe("skipped");
    expect(legacy.reason).toEqual({
      code: "in_skip_list",
      message: "Skipped by preference of @octocat on 2026-11-20 in #42: Using alternative implementation.",
      by: "octocat",
      at: "2026-11-20T10:00:00Z",
      ref: "#42",
    });
    expect(report.metrics.skipAdoption).toBe(1);
  });

  it("does not validate a skipped artifact: a broken one passes as skipped", async () => {
    const report = await scanTree({ ".github/skilldex.yml": skipFile, "skills/legacy-pdf/SKILL.md": "---\nname: [\n---\n" }, { profile: "agentskills" });
    expect(byKey(report, "skill:legacy-pdf")).toMatchObject({ status: "skipped", findings: [] });
    expect(report.totals.failed).toBe(0);
  });

  it("ignores the skip list when skip-preferences is false in the file", async () => {
    const report = await scanTree({
      ".github/skilldex.yml": skipFile.replace("skip-preferences: true", "skip-preferences: false"),
      "skills/legacy-pdf/SKILL.md": skill("legacy-pdf"),
    });
    expect(byKey(report, "skill:legacy-pdf").status).toBe("success");
  });

  it("ignores the skip list when the caller turns skip preferences off", async () => {
    const root = makeTree({ ".github/skilldex.yml": skipFile, "skills/legacy-pdf/SKILL.md": skill("legacy-pdf") });
    const report = await scan({ root, skipPreferences: false });
    expect(byKey(report, "skill:legacy-pdf").status).toBe("success");
  });

  it("skips artifacts under an excluded path with the pattern that matched, without reading them", async () => {
    const report = await scanTree({
      ".github/skilldex.yml": 'exclude: ["archive/**"]\n',
      "archive/skills/old/SKILL.md": "\u0000binary",
      "skills/new/SKILL.md": skill("new"),
    });
    expect(byKey(report, "skill:old")).toMatchObject({ status: "skipped", reason: { code: "excluded", pattern: "archive/**" } });
    expect(byKey(report, "skill:new").status).toBe("success");
    expect(report.metrics.filesRead).toBe(1);
  });

  it("skips the second artifact with a key already indexed as a duplicate", async () => {
    const report = await scanTree({
      ".claude/commands/deploy.md": "Deploy it.\n",
      "tools/commands/deploy.md": "Deploy it too.\n",
    });
    const results = report.artifacts.filter((a) => a.key === "command:deploy");
    expect(results.map((a) => a.status)).toEqual(["success", "skipped"]);
    expect(results[1]?.reason).toMatchObject({ code: "duplicate", duplicateOf: ".claude/commands/deploy.md" });
  });

  it("warns about a skip entry that matches no artifact", async () => {
    const report = await scanTree({ ".github/skilldex.yml": skipFile });
    expect(report.warnings).toEqual([expect.stringContaining("skill:legacy-pdf matches no artifact")]);
  });

  it("refuses a malformed skip file with one error that names the place", async () => {
    const root = makeTree({ ".github/skilldex.yml": "skip:\n  - key: skill:a\n    reason: [x\n", "skills/a/SKILL.md": skill("a") });
    await expect(scan({ root })).rejects.toThrow(/^\.github\/skilldex\.yml:\d+:\d+: not valid YAML/);
  });

  it("takes the profile from the config file unless the caller names one", async () => {
    const files = { ".github/skilldex.yml": "profile: agentskills\n", "skills/a/SKILL.md": "---\ndescription: no name\n---\n" };
    expect((await scanTree(files)).profile).toBe("agentskills");
    expect(byKey(await scanTree(files), "skill:a").status).toBe("failed");
    expect(byKey(await scanTree(files, { profile: "claude-code" }), "skill:a").status).toBe("success");
  });
});

describe("change against a base", () => {
  it("marks each successful artifact added, updated or unchanged against a real git base", async () => {
    const root = makeGitRepo({
      "skills/kept/SKILL.md": skill("kept"),
      "skills/edited/SKILL.md": skill("edited"),
      "skills/edited/reference.md": "v1",
    });
    const base = git(root, "rev-parse", "HEAD").trim();
    writeTree(root, { "skills/edited/reference.md": "v2", "skills/fresh/SKILL.md": skill("fresh") });
    const report = await scan({ root, base });
    expect(Object.fromEntries(report.artifacts.map((a) => [a.key, a.change]))).toEqual({
      "skill:edited": "updated",
      "skill:fresh": "added",
      "skill:kept": "unchanged",
    });
    expect(report.base).toBe(base);
    expect(report.metrics.preScanHitRate).toBeCloseTo(1 / 3);
  });

  it("compares committed changes on a branch too, and works from a sub-folder of the repository", async () => {
    const root = makeGitRepo({ "agents/pkg/skills/a/SKILL.md": skill("a") });
    git(root, "checkout", "-q", "-b", "feature");
    writeTree(root, { "agents/pkg/skills/a/SKILL.md": skill("a", "Changed."), "agents/pkg/skills/b/SKILL.md": skill("b") });
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "change");
    const report = await scan({ root: `${root}/agents/pkg`, base: "main" });
    expect(Object.fromEntries(report.artifacts.map((a) => [a.key, a.change]))).toEqual({ "skill:a": "updated", "skill:b": "added" });
  });

  it("leaves change null without a base, and for artifacts that are not imported", async () => {
    const root = makeGitRepo({ ".claude/agents/x.md": "no frontmatter\n" });
    const report = await scan({ root, base: "HEAD" });
    expect(byKey(report, "agent:x")).toMatchObject({ status: "failed", change: null });
  });

  it("refuses a base that does not exist with a message that says so", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a") });
    await expect(scan({ root, base: "no-such-branch" })).rejects.toThrow(/cannot compare with no-such-branch: no such commit/);
    await expect(scan({ root: makeTree({}), base: "main" })).rejects.toThrow(/not inside a git repository/);
  });

  it("refuses a base that git would read as an option", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a") });
    await expect(scan({ root, base: "--output=/tmp/skilldex-pwned" })).rejects.toThrow(/refusing the base "--output=\/tmp\/skilldex-pwned"/);
  });
});
