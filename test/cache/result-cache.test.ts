import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCacheStore, type CacheStore } from "../../src/cache/store.js";
import type { Report } from "../../src/model.js";
import { scanFromSource } from "../../src/pipeline/from-source.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { agent, git, pluginJson, skill, type Tree } from "../helpers/repo.js";
import { makeServedRepo, pushChange } from "../source/servers.js";

/** 10 plugins of 99 skills each, their marketplace, and a subagent naming a skill: 1,002 artifacts. */
function bigRepository(): Tree {
  const files: Tree = {};
  const plugins: { name: string; source: string }[] = [];
  for (let p = 0; p < 10; p++) {
    const name = `plugin-${p}`;
    plugins.push({ name, source: `./plugins/${name}` });
    files[`plugins/${name}/.claude-plugin/plugin.json`] = pluginJson(name);
    for (let s = 0; s < 99; s++) files[`plugins/${name}/skills/skill-${p}-${s}/SKILL.md`] = skill(`skill-${p}-${s}`);
  }
  files[".claude-plugin/marketplace.json"] = `${JSON.stringify({ name: "big", owner: { name: "Acme" }, plugins }, null, 2)}\n`;
  files[".claude/agents/helper.md"] = agent("helper").replace("---\n\n", "skills: skill-0-0\n---\n\n");
  return files;
}

const TOKEN = "ghs_resultCacheToken0123456789abcdefABCD";

const schema = JSON.parse(readFileSync("docs/reference/report.schema.json", "utf8"));
const validateReport = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false }).compile(schema);

function expectValid(report: Report): void {
  validateReport(JSON.parse(JSON.stringify(report)));
  expect(validateReport.errors ?? []).toEqual([]);
}

/** What a scan says of the artifacts, without what depends on how it ran. */
function verdicts(report: Report): unknown {
  const { artifacts, totals, byType, warnings, removed, capabilityChanges } = report;
  return { artifacts, totals, byType, warnings, removed, capabilityChanges };
}

describe("the content-addressed result cache", () => {
  let repo: ReturnType<typeof makeServedRepo>;
  let github: FakeGitHub;
  beforeAll(async () => {
    repo = makeServedRepo(bigRepository());
    github = await startFakeGitHub({ "acme/big": repo.bare });
  });
  afterAll(async () => {
    await github.close();
  });

  const scanClone = async (ref: string, cache?: CacheStore, base: string | null = null): Promise<Report> =>
    (await scanFromSource({ select: { strategy: "clone", repo: "acme/big", cloneUrl: repo.url, ref }, fallbackRoot: "/big", repoName: "big", base, ...(cache ? { cache } : {}) })).report;
  const scanApi = async (ref: string, cache?: CacheStore): Promise<Report> =>
    (await scanFromSource({ select: { strategy: "api", repo: "acme/big", ref, token: TOKEN, apiUrl: github.url }, fallbackRoot: "/big", repoName: "big", ...(cache ? { cache } : {}) })).report;

  it("validates and fetches only the skill a push changed; the rest comes from the cache and the report is a cold scan's", async () => {
    const cache = new MemoryCacheStore();
    const first = await scanClone(repo.commit, cache);
    expect(first.totals.discovered).toBe(1002);
    expect(first.metrics.cache).toEqual({ artifacts: 0, validated: 1002, report: false });
    expect(first.indexed?.commit).toBe(repo.commit);
    expect(first.indexed?.tree).toMatch(/^[0-9a-f]{40}$/);

    const changed = pushChange(repo, { "plugins/plugin-3/skills/skill-3-7/SKILL.md": skill("skill-3-7", "A new description. Use when asked.") });
    const second = await scanClone(changed, cache, repo.commit);
    expect(second.metrics.cache).toEqual({ artifacts: 1001, validated: 1, report: false });
    // Two blobs travel: the changed SKILL.md, and the same file at the base (its capabilities then).
    // The manifests discovery reads come from the cache.
    expect(second.metrics.blobsFetched).toBe(2);
    // Each scan is a new clone: the trees of the commit travel again, the blobs do not.
    expect(second.metrics.bytesFetched).toBeLessThan(first.metrics.bytesFetched / 2);
    expect(second.indexed?.commit).toBe(changed);

    const cold = await scanClone(changed, undefined, repo.commit);
    expect(cold.metrics.cache).toBeUndefined();
    expect(verdicts(second)).toEqual(verdicts(cold));
    expect(second.artifacts.find((a) => a.key === "skill:plugin-3/skill-3-7")?.change).toBe("updated");
    expectValid(second);
  });

  it("reuses the whole report for a tree it scanned, fetching no blob", async () => {
    const cache = new MemoryCacheStore();
    const first = await scanClone(repo.commit, cache);
    const again = await scanClone(repo.commit, cache);
    expect(again.metrics.cache).toEqual({ artifacts: 1002, validated: 0, report: true });
    expect(again.metrics.blobsFetched).toBe(0);
    expectValid(again);
    expect(verdicts(again)).toEqual(verdicts(first));
  });

  it("judges the marketplace again when a plugin.json it reads changes, and fails it as a cold scan does", async () => {
    const cache = new MemoryCacheStore();
    await scanClone(git(repo.work, "rev-parse", "HEAD").trim(), cache);
    const bumped = pushChange(repo, { "plugins/plugin-5/.claude-plugin/plugin.json": pluginJson("plugin-5").replace("1.0.0", "1.0.1") });
    const second = await scanClone(bumped, cache);
    // The plugin and the marketplace whose rules read its plugin.json; none of the 990 skills.
    expect(second.metrics.cache).toEqual({ artifacts: 1000, validated: 2, report: false });

    const broken = pushChange(repo, { "plugins/plugin-5/.claude-plugin/plugin.json": '{"name": "plugin-5", "version": 5}\n' });
    const third = await scanClone(broken, cache);
    const cold = await scanClone(broken);
    expect(third.artifacts.find((a) => a.key === "marketplace:big")?.status).toBe("failed");
    expect(verdicts(third)).toEqual(verdicts(cold));
  });

  it("judges a subagent again when the skill it names goes away", async () => {
    const cache = new MemoryCacheStore();
    const before = await scanClone(repo.commit, cache);
    expect(before.artifacts.find((a) => a.key === "agent:helper")?.findings).toEqual([]);
    const gone = pushChange(repo, {}, ["plugins/plugin-0/skills/skill-0-0/SKILL.md"]);
    const after = await scanClone(gone, cache);
    const cold = await scanClone(gone);
    expect(after.artifacts.find((a) => a.key === "agent:helper")?.findings.map((f) => f.rule)).toEqual(["agent/skills-exist"]);
    expect(verdicts(after)).toEqual(verdicts(cold));
  });

  it("through the API, a second push costs a tree listing and one blob", async () => {
    const cache = new MemoryCacheStore();
    const head = pushChange(repo, { "plugins/plugin-1/skills/skill-1-1/SKILL.md": skill("skill-1-1", "Changed before the API scan. Use when asked.") });
    const first = await scanApi(head, cache);
    const changed = pushChange(repo, { "plugins/plugin-1/skills/skill-1-2/SKILL.md": skill("skill-1-2", "Changed again. Use when asked.") });
    const second = await scanApi(changed, cache);
    expect(second.metrics.cache).toMatchObject({ validated: 1, report: false });
    expect(second.metrics.blobsFetched).toBe(1);
    expect(second.metrics.apiCalls).toBeLessThan(first.metrics.apiCalls / 5);
    expect(second.totals).toEqual(first.totals);
  }, 120_000);
});
