import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { ApiSource } from "../../src/source/api.js";
import { CloneSource } from "../../src/source/clone.js";
import { agent, command, git, makeGitRepo, makeTree, pluginJson, skill, writeTree } from "../helpers/repo.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { makeServedRepo, pushChange } from "../source/servers.js";

/** Commits everything in the work tree, deletions included. */
function commitAll(root: string, message = "change"): string {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
  return git(root, "rev-parse", "HEAD").trim();
}

describe("artifacts removed since the base", () => {
  it("lists each artifact whose key is gone, with its type and path at the base, and no more", async () => {
    const root = makeGitRepo({
      "skills/kept/SKILL.md": skill("kept"),
      "skills/gone/SKILL.md": skill("gone"),
      "skills/moved/SKILL.md": skill("moved"),
      ".claude/agents/reviewer.md": agent("reviewer"),
      "archive/skills/old/SKILL.md": skill("old"),
    });
    const base = git(root, "rev-parse", "HEAD").trim();
    git(root, "rm", "-q", "-r", "skills/gone", "skills/moved", ".claude/agents/reviewer.md", "archive");
    writeTree(root, { "more/skills/moved/SKILL.md": skill("moved"), ".github/skilldex.yml": 'exclude: ["archive/**"]\n' });
    commitAll(root);

    const report = await scan({ root, base });
    // A skill moved to another folder keeps its key; what the settings exclude was never indexed.
    expect(report.removed).toEqual([
      { key: "skill:gone", type: "skill", path: "skills/gone", change: "removed" },
      { key: "agent:reviewer", type: "agent", path: ".claude/agents/reviewer.md", change: "removed" },
    ]);
    expect(report.artifacts.map((a) => a.key)).toEqual(["skill:kept", "skill:moved"]);
  });

  it("finds the components a plugin.json named at the base from that plugin.json as it was, read from git", async () => {
    const root = makeGitRepo({
      "tools/.claude-plugin/plugin.json": JSON.stringify({ name: "tools", commands: ["./extra/deploy.md"] }),
      "tools/extra/deploy.md": command("Deploys."),
      "tools/commands/lint.md": command("Lints."),
    });
    const base = git(root, "rev-parse", "HEAD").trim();
    git(root, "rm", "-q", "tools/extra/deploy.md");
    writeTree(root, { "tools/.claude-plugin/plugin.json": pluginJson("tools") });
    commitAll(root);

    const report = await scan({ root, base });
    expect(report.removed).toEqual([{ key: "command:tools/deploy", type: "command", path: "tools/extra/deploy.md", change: "removed" }]);
    expect(report.warnings).toEqual([]);
  });

  it("is an empty list when nothing was removed, and absent without a base", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a") });
    writeTree(root, { "skills/b/SKILL.md": skill("b") });
    expect((await scan({ root, base: "HEAD" })).removed).toEqual([]);
    expect("removed" in (await scan({ root }))).toBe(false);
  });

  it("works from a sub-folder of the repository, with paths relative to it, and in the CLI's JSON", async () => {
    const root = makeGitRepo({ "agents/pkg/skills/a/SKILL.md": skill("a"), "agents/pkg/skills/b/SKILL.md": skill("b"), "skills/outside/SKILL.md": skill("outside") });
    git(root, "checkout", "-q", "-b", "feature");
    git(root, "rm", "-q", "-r", "agents/pkg/skills/b", "skills/outside");
    commitAll(root);
    let stdout = "";
    const code = await runCli(["scan", "agents/pkg", "--base", "main", "--format", "json"], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: root, env: {} });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.removed).toEqual([{ key: "skill:b", type: "skill", path: "skills/b", change: "removed" }]);
    expect(Object.keys(report)).toEqual(["schema", "tool", "root", "profile", "base", "totals", "byType", "artifacts", "removed", "metrics", "timings", "warnings", "capabilityChanges"]);
  });

  it("reads the base and its plugin.json as it was through a partial clone", async () => {
    const repo = makeServedRepo({
      "tools/.claude-plugin/plugin.json": JSON.stringify({ name: "tools", agents: ["./people/helper.md"] }),
      "tools/people/helper.md": agent("helper"),
      "skills/gone/SKILL.md": skill("gone"),
      "skills/kept/SKILL.md": skill("kept"),
    });
    const base = repo.commit;
    pushChange(repo, { "tools/.claude-plugin/plugin.json": pluginJson("tools") }, ["tools/people/helper.md", "skills/gone/SKILL.md"]);
    const source = await CloneSource.open({ url: repo.url, ref: "main" });
    try {
      const report = await scan({ root: makeTree({}), source, base });
      expect(report.removed).toEqual([
        { key: "skill:gone", type: "skill", path: "skills/gone", change: "removed" },
        { key: "agent:tools/helper", type: "agent", path: "tools/people/helper.md", change: "removed" },
      ]);
      expect(report.artifacts.map((a) => `${a.key}=${a.change}`)).toEqual(["plugin:tools=updated", "skill:kept=unchanged"]);
    } finally {
      await source.dispose();
    }
  });

  it("says so when the source cannot read the base's files and the manifests that changed are read as they are now", async () => {
    const repo = makeServedRepo({ "tools/.claude-plugin/plugin.json": JSON.stringify({ name: "tools" }), "skills/gone/SKILL.md": skill("gone") });
    const base = repo.commit;
    pushChange(repo, { "tools/.claude-plugin/plugin.json": pluginJson("tools") }, ["skills/gone/SKILL.md"]);
    const github = await startFakeGitHub({ "acme/tools": repo.bare });
    try {
      const source = await ApiSource.open({ owner: "acme", repo: "tools", ref: "main", baseUrl: github.url });
      const report = await scan({ root: makeTree({}), source, base });
      expect(report.removed).toEqual([{ key: "skill:gone", type: "skill", path: "skills/gone", change: "removed" }]);
      expect(report.warnings).toEqual([
        `The api source cannot read files as they were at ${base}: to find the artifacts removed since, 1 manifest that changed was read as now (tools/.claude-plugin/plugin.json).`,
      ]);
    } finally {
      await github.close();
    }
  });
});
