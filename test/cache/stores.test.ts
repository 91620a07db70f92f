import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCacheStore, RedisCacheStore } from "../../src/cache/store.js";
import type { Report } from "../../src/model.js";
import { scanFromSource } from "../../src/pipeline/from-source.js";
import { freePort } from "../source/servers.js";
import { redisServerAvailable, startRedisServer, type RedisServer } from "../helpers/redis.js";
import { skill, type Tree } from "../helpers/repo.js";
import { makeServedRepo, pushChange } from "../source/servers.js";

function library(): Tree {
  const files: Tree = {};
  for (let i = 0; i < 40; i++) files[`skills/s${i}/SKILL.md`] = skill(`s${i}`);
  files[".claude/agents/reviewer.md"] = "---\nname: reviewer\ndescription: Reviews.\nskills: s1\n---\n\nReview.\n";
  return files;
}

describe("MemoryCacheStore", () => {
  it("keeps at most its bound in bytes, dropping what was used least recently", async () => {
    const store = new MemoryCacheStore(100);
    await store.setMany([["a", Buffer.alloc(40)], ["b", Buffer.alloc(40)]]);
    await store.getMany(["a"]);
    await store.setMany([["c", Buffer.alloc(40)]]);
    expect((await store.getMany(["a", "b", "c"])).map((v) => v?.length ?? null)).toEqual([40, null, 40]);
    await store.setMany([["huge", Buffer.alloc(500)]]);
    expect(await store.getMany(["huge"])).toEqual([null]);
  });
});

describe.runIf(redisServerAvailable())("RedisCacheStore on a real redis-server", () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const client = (url: string): Redis => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on("error", () => undefined);
    clients.push(redis);
    return redis;
  };
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server.stop();
  });

  const repo = makeServedRepo(library());
  const scanWith = async (ref: string, store: RedisCacheStore): Promise<Report> =>
    (await scanFromSource({ select: { strategy: "clone", repo: "acme/lib", cloneUrl: repo.url, ref }, fallbackRoot: "/lib", repoName: "lib", cache: store })).report;

  it("shares results between processes: a second client validates only the skill a push changed", async () => {
    const first = await scanWith(repo.commit, new RedisCacheStore(client(server.url)));
    expect(first.metrics.cache).toEqual({ artifacts: 0, validated: 41, report: false });
    const changed = pushChange(repo, { "skills/s7/SKILL.md": skill("s7", "Changed. Use when asked.") });
    const second = await scanWith(changed, new RedisCacheStore(client(server.url)));
    expect(second.metrics.cache).toEqual({ artifacts: 40, validated: 1, report: false });
    expect(second.metrics.blobsFetched).toBe(1);
    const cold = (await scanFromSource({ select: { strategy: "clone", repo: "acme/lib", cloneUrl: repo.url, ref: changed }, fallbackRoot: "/lib", repoName: "lib" })).report;
    expect(second.artifacts).toEqual(cold.artifacts);
    // Every entry expires: a cache of commits nobody pushes any more empties itself.
    const redis = client(server.url);
    const keys = await redis.keys("skilldex:cache:*");
    expect(keys.length).toBeGreaterThan(41);
    expect(await redis.ttl(keys[0] as string)).toBeGreaterThan(0);
  });

  it("scans without the cache when Redis does not answer, and says why", async () => {
    const errors: unknown[] = [];
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const report = await scanWith(repo.commit, new RedisCacheStore(client(nobody), { onError: (e) => errors.push(e) }));
    expect(report.metrics.cache).toEqual({ artifacts: 0, validated: 41, report: false });
    expect(report.totals.success).toBe(41);
    expect(String(errors[0])).toMatch(/ECONNREFUSED|Connection is closed|max retries/i);
  });
});
