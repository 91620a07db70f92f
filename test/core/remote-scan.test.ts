import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { withExternalPlugins } from "../../src/source/external.js";
import { WorkspaceSource } from "../../src/source/workspace.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { makeServedRepo, startGitDaemon } from "../source/servers.js";
import { makeTree, skill } from "../helpers/repo.js";

const TOKEN = "ghs_remoteScanToken0123456789abcdefABCD";
const library = makeServedRepo({
  ".github/skilldex.yml": "skip:\n  - key: skill:old\n    reason: retired\n",
  "skills/old/SKILL.md": skill("old"),
  "skills/new/SKILL.md": skill("new"),
  ".claude/agents/bad.md": "no frontmatter\n",
  "assets/big.bin": "x".repeat(200_000),
  ".claude/agents/latin1.md": new Uint8Array([...Buffer.from("---\nname: caf"), 0xe9, ...Buffer.from("\ndescription: x\n---\n")]),
});
const reviewer = makeServedRepo({ ".claude-plugin/plugin.json": '{"name": "reviewer"}', "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews.\n---\n" }, "reviewer.git");

let github: FakeGitHub;
let daemon: Awaited<ReturnType<typeof startGitDaemon>>;
beforeAll(async () => {
  github = await startFakeGitHub({ "acme/library": library.bare });
  daemon = await startGitDaemon(join(reviewer.bare, ".."));
});
afterAll(async () => {
  await github.close();
  await daemon.stop();
});

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: makeTree({}), env });
  return { code, stdout, stderr };
}

describe("scanning without a checkout", () => {
  it("scans a repository through the GitHub API with --repo, reading its skip file there too", async () => {
    const { code, stdout, stderr } = await cli(["scan", "--repo", "acme/library", "--ref", "main", "--source", "api", "--format", "json"], {
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: TOKEN,
      SKILLDEX_LOG: "info",
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.artifacts.map((a: { key: string; status: string }) => `${a.key}=${a.status}`)).toEqual(["skill:new=success", "skill:old=skipped", "agent:bad=failed", "agent:latin1=failed"]);
    // Bytes that are not UTF-8 arrive as they are, so the verdict is the workspace's.
    const local = await scan({ root: library.work });
    const findingsOf = (r: { artifacts: { key: string; findings: unknown[] }[] }) => r.artifacts.find((a) => a.key === "agent:latin1")?.findings;
    expect(findingsOf(report)).toEqual(findingsOf(local));
    expect(report.metrics).toMatchObject({ strategy: "api", apiCalls: expect.any(Number), bytesFetched: expect.any(Number) });
    expect(report.metrics.apiCalls).toBeGreaterThan(0);
    expect(report.metrics.bytesFetched).toBeLessThan(100_000);
    expect(stderr).toContain('"strategy":"api"');
    expect(stdout + stderr).not.toContain(TOKEN);
  });

  it("compares with a base through the API, and names a base it cannot find", async () => {
    const same = await cli(["scan", "--repo", "acme/library", "--ref", "main", "--source", "api", "--base", "main", "--format", "json"], { GITHUB_API_URL: github.url });
    expect(JSON.parse(same.stdout).artifacts.find((a: { key: string }) => a.key === "skill:new").change).toBe("unchanged");
    const missing = await cli(["scan", "--repo", "acme/library", "--ref", "main", "--source", "api", "--base", "v9"], { GITHUB_API_URL: github.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/acme\/library has no commit, branch or tag v9/);
  });

  it("refuses --ref without --repo, and a malformed --repo", async () => {
    expect((await cli(["scan", "--ref", "main"], {})).stderr).toMatch(/--ref goes with --repo/);
    expect((await cli(["scan", "--repo", "not a repo"], {})).stderr).toMatch(/--repo must be owner\/name/);
  });
});

/** The folder scanned with the plugins its marketplace lists from other repositories mounted in it, as `--external` does. */
async function scanWithExternal(root: string) {
  const external = await withExternalPlugins(new WorkspaceSource(root), { allowedSchemes: ["git"], timeoutMs: 20_000 });
  try {
    return await scan({ root, source: external.source, external });
  } finally {
    await external.source.dispose?.();
  }
}

describe("external plugins", () => {
  it("indexes a plugin a marketplace lists from another repository, and fails only the one that cannot be fetched", async () => {
    const root = makeTree({
      ".claude-plugin/marketplace.json": `{
  "name": "market",
  "owner": { "name": "acme" },
  "plugins": [
    { "name": "reviewer", "source": { "source": "url", "url": "${daemon.url("reviewer.git")}" } },
    { "name": "ghost", "source": { "source": "url", "url": "${daemon.url("ghost.git")}" } }
  ]
}
`,
    });
    const report = await scanWithExternal(root);
    const statuses = Object.fromEntries(report.artifacts.map((a) => [a.key, a.status]));
    expect(statuses).toEqual({ "marketplace:repo": "success", "plugin:reviewer": "success", "plugin:ghost": "failed", "agent:reviewer/reviewer": "success" });
    const ghost = report.artifacts.find((a) => a.key === "plugin:ghost");
    expect(ghost?.reason?.code).toBe("io_error");
    expect(ghost?.findings[0]).toMatchObject({ file: ".claude-plugin/marketplace.json", line: 6, severity: "error" });
  });

  it("lets a maintainer skip an external plugin that cannot be fetched, and refuses a name that would climb out of its folder", async () => {
    const root = makeTree({
      ".github/skilldex.yml": "skip:\n  - key: plugin:ghost\n    reason: repository archived\n",
      ".claude-plugin/marketplace.json": JSON.stringify({
        name: "market",
        owner: { name: "acme" },
        plugins: [
          { name: "ghost", source: { source: "url", url: daemon.url("ghost.git") } },
          { name: "../../skills", source: { source: "url", url: daemon.url("reviewer.git") } },
        ],
      }),
    });
    const report = await scanWithExternal(root);
    expect(report.artifacts.find((a) => a.key === "plugin:ghost")).toMatchObject({ status: "skipped", reason: { code: "in_skip_list" }, findings: [] });
    expect(report.artifacts.some((a) => a.path.includes(".."))).toBe(false);
    expect(report.totals.failed).toBe(0);
  });
});
