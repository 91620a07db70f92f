import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discover } from "../../src/discover/index.js";
import { externalPluginDir, externalPluginSpecs, fetchExternalPlugins, MountedSource, withExternalPlugins, type ExternalPlugin } from "../../src/source/external.js";
import { WorkspaceSource } from "../../src/source/workspace.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { makeTree } from "../helpers/tree.js";
import { makeServedRepo, pushChange, startGitDaemon } from "./servers.js";

const server = makeTree({}, "server");
const formatter = makeServedRepo(
  { ".claude-plugin/plugin.json": '{"name":"formatter"}', "skills/tidy/SKILL.md": "---\nname: tidy\ndescription: Tidies.\n---\n", "vendor/huge.bin": "h".repeat(100_000) },
  "formatter.git",
  join(server, "acme"),
);
const monorepo = makeServedRepo({ "tools/linter/.claude-plugin/plugin.json": '{"name":"linter"}', "tools/linter/commands/lint.md": "# lint v1\n", "src/app.ts": "" }, "monorepo.git", join(server, "acme"));
const pinned = monorepo.commit;
pushChange(monorepo, { "tools/linter/commands/lint.md": "# lint v2\n" });
const reviewer = makeServedRepo({ "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews.\n---\n" }, "reviewer.git");

let daemon: Awaited<ReturnType<typeof startGitDaemon>>;
let github: FakeGitHub;
beforeAll(async () => {
  daemon = await startGitDaemon(join(reviewer.bare, ".."));
  github = await startFakeGitHub({ "acme/formatter": formatter.bare, "acme/monorepo": monorepo.bare });
});
afterAll(async () => {
  await daemon.stop();
  await github.close();
});

const marketplace = () => ({
  name: "market",
  owner: { name: "acme" },
  plugins: [
    { name: "local", source: "./plugins/local" },
    { name: "formatter", source: { source: "github", repo: "acme/formatter" } },
    { name: "linter", source: { source: "git-subdir", url: "acme/monorepo", path: "tools/linter", sha: pinned } },
    { name: "reviewer", source: { source: "url", url: daemon.url("reviewer.git"), ref: "main" } },
    { name: "ghost", source: { source: "github", repo: "acme/ghost" } },
    { name: "npm-thing", source: { source: "npm", package: "@acme/thing" } },
  ],
});

const options = () => ({ serverUrl: `file://${server}`, apiUrl: github.url, allowedSchemes: ["https", "git", "file"], retryDelayMs: 1 });

async function read(plugin: ExternalPlugin | undefined, path: string): Promise<string | null> {
  if (!plugin?.ok) return null;
  const result = await plugin.source.readFile(path, 10_000);
  return result.ok ? Buffer.from(result.bytes).toString() : null;
}

describe("external plugins", () => {
  it("fetches github, url and git-subdir plugins, at their pinned commit, and fails only the one that cannot be fetched", async () => {
    const lines: string[] = [];
    const plugins = await fetchExternalPlugins(marketplace(), { ...options(), log: (level, message) => void lines.push(`${level} ${message}`) });
    try {
      expect(plugins.map((p) => [p.name, p.ok])).toEqual([
        ["formatter", true],
        ["linter", true],
        ["reviewer", true],
        ["ghost", false],
      ]);
      const [formatterPlugin, linter, reviewerPlugin, ghost] = plugins;
      expect(formatterPlugin?.ok && (await formatterPlugin.source.listFiles()).files).toEqual([".claude-plugin/plugin.json", "skills/tidy/SKILL.md", "vendor/huge.bin"]);
      expect(await read(linter, "commands/lint.md")).toBe("# lint v1\n");
      expect(await read(reviewerPlugin, "agents/reviewer.md")).toContain("name: reviewer");
      expect(ghost?.ok === false && ghost.reason).toMatch(/^acme\/ghost: the partial clone failed \(.+\), and then the GitHub API failed: GET \/repos\/acme\/ghost: HTTP 404, not found/);
      expect(lines).toContain('warning external plugin npm-thing: "npm" sources are not fetched; only github, url and git-subdir are');
    } finally {
      await Promise.all(plugins.map((p) => (p.ok ? p.source.dispose?.() : undefined)));
    }
  });

  it("reads GitHub-hosted plugins through the API when git is missing, and fails a plugin only git can reach", async () => {
    const plugins = await fetchExternalPlugins(marketplace(), { ...options(), env: { ...process.env, PATH: makeTree({}, "no-git") } });
    expect(plugins.map((p) => [p.name, p.ok && p.strategy])).toEqual([
      ["formatter", "api"],
      ["linter", "api"],
      ["reviewer", false],
      ["ghost", false],
    ]);
    expect(await read(plugins[1], "commands/lint.md")).toBe("# lint v1\n");
    const reviewerPlugin = plugins[2];
    expect(reviewerPlugin?.ok === false && reviewerPlugin.reason).toBe(`127.0.0.1:${daemon.url("").split(":")[2]?.replace(/\/$/, "")}/reviewer.git@main: git is not installed, and the GitHub API cannot serve ${daemon.url("reviewer.git")}`);
  });

  it("refuses sources a marketplace should not point at", () => {
    const { specs, problems } = externalPluginSpecs({
      plugins: [
        { name: "disk", source: { source: "url", url: "file:///etc" } },
        { name: "secret", source: { source: "url", url: "https://user:pw@example.com/x.git" } },
        { name: "ssh", source: { source: "url", url: "git@github.com:acme/x.git" } },
        { name: "short", source: { source: "github", repo: "acme/x", sha: "abc123" } },
        { name: "escape", source: { source: "git-subdir", url: "acme/x", path: "../y" } },
        { name: "fine", source: { source: "url", url: "https://github.com/acme/fine.git", ref: "v1" } },
      ],
    });
    expect(problems.map((p) => `${p.name}: ${p.reason}`)).toEqual([
      "disk: file: URLs are not fetched; use https",
      "secret: a source URL must not hold credentials",
      'ssh: "git@github.com:acme/x.git" is not a URL (ssh addresses such as git@host:owner/name are not fetched; use https)',
      'short: `sha` must be a full 40-character commit id, not "abc123"',
      "escape: a git-subdir source needs `path`, a folder inside the repository",
    ]);
    expect(specs.map((s) => [s.name, s.target.repo, s.target.ref])).toEqual([["fine", "acme/fine", "v1"]]);
  });

  it("shows each external plugin to discovery under its own folder, namespaced by its marketplace entry's name", async () => {
    const root = makeTree({ ".claude-plugin/marketplace.json": JSON.stringify(marketplace()), "plugins/local/commands/hi.md": "# hi\n" });
    const plugins = await fetchExternalPlugins(marketplace(), options());
    const mounted = new MountedSource(
      new WorkspaceSource(root),
      plugins.flatMap((p) => (p.ok ? [{ dir: externalPluginDir("", p.name), source: p.source }] : [])),
    );
    try {
      const { files } = await mounted.listFiles();
      expect(files).toContain("@external/formatter/skills/tidy/SKILL.md");
      const keys = discover(files, { repoName: "market" }).map((a) => a.key);
      expect(keys).toEqual(expect.arrayContaining(["plugin:formatter", "plugin:linter", "skill:formatter/tidy", "command:linter/lint", "agent:reviewer"]));
      const read = await mounted.readFile("@external/linter/commands/lint.md", 100);
      expect(read.ok && Buffer.from(read.bytes).toString()).toBe("# lint v1\n");
      expect(mounted.bytesFetched).toBeGreaterThan(0);
    } finally {
      await mounted.dispose();
    }
  });

  it("mounts every plugin a marketplace of the source lists from elsewhere before any scan, and names those it could not fetch by their entry", async () => {
    const root = makeTree({ "market/.claude-plugin/marketplace.json": JSON.stringify(marketplace()), "market/plugins/local/commands/hi.md": "# hi\n" });
    const external = await withExternalPlugins(new WorkspaceSource(root), options());
    try {
      expect(external.mounted).toEqual(["market/@external/formatter", "market/@external/linter", "market/@external/reviewer"]);
      expect(external.failures).toEqual([{ name: "ghost", dir: "market/@external/ghost", marketplaceFile: "market/.claude-plugin/marketplace.json", index: 4, reason: expect.stringMatching(/^acme\/ghost: /) }]);
      const { files } = await external.source.listFiles();
      expect(files).toEqual(expect.arrayContaining(["market/@external/formatter/skills/tidy/SKILL.md", "market/plugins/local/commands/hi.md"]));
    } finally {
      await external.source.dispose?.();
    }
  });

  it("gives the source back as it is when no marketplace lists a plugin from elsewhere", async () => {
    const source = new WorkspaceSource(makeTree({ ".claude-plugin/marketplace.json": JSON.stringify({ name: "m", owner: { name: "a" }, plugins: [{ name: "local", source: "./local" }] }) }));
    expect(await withExternalPlugins(source, options())).toEqual({ source, mounted: [], failures: [] });
  });
});
