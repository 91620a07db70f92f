import { afterAll, describe, expect, it } from "vitest";
import { ApiSource } from "../../src/source/api.js";
import { SourceFetchError } from "../../src/source/clone.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { makeServedRepo, pushChange } from "./servers.js";

const skills: Record<string, string> = {};
for (let i = 0; i < 100; i++) skills[`skills/s${i}/SKILL.md`] = `---\nname: s${i}\ndescription: Skill ${i}.\n---\n`;
const repo = makeServedRepo({ ...skills, "skills/s0/big.bin": "y".repeat(300_000), "README.md": "# r\n", "docs/guide.md": "guide\n" });
const github = await startFakeGitHub({ "acme/lib": repo.bare });
afterAll(() => github.close());

const line = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
const text = (read: Awaited<ReturnType<ApiSource["readFile"]>>): string | null => (read.ok ? Buffer.from(read.bytes).toString() : null);

describe("ApiSource", () => {
  it("reads a 100-skill repository in a handful of calls with a token: the tree, then blobs in batches", async () => {
    github.requests.length = 0;
    const source = await ApiSource.open({ owner: "acme", repo: "lib", ref: "main", token: "t0ken-abc", baseUrl: github.url });
    const { files } = await source.listFiles();
    expect(files).toHaveLength(103);
    for (let i = 0; i < 100; i++) expect(text(await source.readFile(`skills/s${i}/SKILL.md`, 1000))).toContain(`name: s${i}`);
    expect(source.apiCalls).toBe(3);
    expect(github.requests.filter((r) => line(r) === "POST /graphql")).toHaveLength(2);
    expect(github.requests.every((r) => r.authorization === "token t0ken-abc")).toBe(true);
    expect(github.invalid).toEqual([]);
    expect(source.bytesFetched).toBeGreaterThan(0);
  });

  it("fetches one blob a call without a token, several at a time, and refuses a large file unfetched", async () => {
    github.requests.length = 0;
    const source = await ApiSource.open({ owner: "acme", repo: "lib", baseUrl: github.url, concurrency: 4 });
    expect(await source.readFile("skills/s0/big.bin", 1000)).toEqual({ ok: false, code: "too_large", size: 300_000 });
    for (let i = 0; i < 100; i++) expect(text(await source.readFile(`skills/s${i}/SKILL.md`, 1000))).toContain(`name: s${i}`);
    expect(text(await source.readFile("docs/guide.md", 1000))).toBe("guide\n");
    // The default branch, the tree, 100 prefetched SKILL.md blobs and the one guide read on demand.
    expect(source.apiCalls).toBe(103);
    expect(github.requests.some((r) => line(r).includes("big.bin") || line(r).endsWith(repo.bare))).toBe(false);
  });

  it("sends no further requests once disposed, so a failed run ends at once", async () => {
    github.requests.length = 0;
    const source = await ApiSource.open({ owner: "acme", repo: "lib", baseUrl: github.url, concurrency: 2 });
    await source.dispose();
    const atDispose = github.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // At most the two requests already in flight finish; the other ~98 blobs are never asked for.
    expect(github.requests.length - atDispose).toBeLessThanOrEqual(2);
    expect(github.requests.filter((r) => r.path.includes("/git/blobs/")).length).toBeLessThan(10);
  });

  it("retries a 502 and a secondary rate limit, then succeeds", async () => {
    const failures = [{ status: 502, body: { message: "Server Error" } }, { status: 403, body: { message: "You have exceeded a secondary rate limit." } }];
    github.override(() => failures.shift());
    try {
      const source = await ApiSource.open({ owner: "acme", repo: "lib", ref: "main", baseUrl: github.url, retryDelayMs: 1, select: () => [] });
      expect((await source.listFiles()).files).toHaveLength(103);
      expect(source.apiCalls).toBe(3);
    } finally {
      github.override(null);
    }
  });

  it("warns in the listing when the API truncates the tree", async () => {
    github.truncateTrees = true;
    try {
      const source = await ApiSource.open({ owner: "acme", repo: "lib", ref: "main", baseUrl: github.url, select: () => [] });
      const { warnings } = await source.listFiles();
      expect(warnings[0]).toMatch(/^The API truncated the tree listing of acme\/lib/);
    } finally {
      github.truncateTrees = false;
    }
  });

  it("says plainly when the ref or the repository is not there, without the token", async () => {
    const token = "ghp_verysecret123";
    const missingRef = await ApiSource.open({ owner: "acme", repo: "lib", ref: "nope", token, baseUrl: github.url }).catch((e: unknown) => e);
    expect(missingRef).toBeInstanceOf(SourceFetchError);
    expect((missingRef as Error).message).toMatch(/^acme\/lib has no commit, branch or tag nope that this token can see/);
    const missingRepo = await ApiSource.open({ owner: "acme", repo: "gone", token, baseUrl: github.url }).catch((e: unknown) => e);
    expect((missingRepo as Error).message).toContain("HTTP 404, not found");
    expect(`${(missingRef as Error).message} ${(missingRepo as Error).message}`).not.toContain(token);
  });

  it("says what changed against a base from two tree listings", async () => {
    const changing = makeServedRepo({ "commands/a.md": "# a\n", "commands/b.md": "# b\n" });
    const base = changing.commit;
    pushChange(changing, { "commands/b.md": "# b2\n", "commands/c.md": "# c\n" });
    const gh = await startFakeGitHub({ "acme/changing": changing.bare });
    try {
      const source = await ApiSource.open({ owner: "acme", repo: "changing", ref: "main", baseUrl: gh.url, select: () => [] });
      const { atBase, changed } = await source.compareWithBase(base);
      expect([...atBase].sort()).toEqual(["commands/a.md", "commands/b.md"]);
      expect([...changed].sort()).toEqual(["commands/b.md", "commands/c.md"]);
    } finally {
      await gh.close();
    }
  });
});
