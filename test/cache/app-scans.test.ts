import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { postWebhook, waitUntil } from "../app/app-process.js";
import { startTestServer, type TestServer } from "../app/app-server.js";
import { newFake, REPO_FILES, TestOctokit } from "../app/helpers.js";
import { followCheckRunUpdates, pushPayload, runsOn } from "../app/scan-payloads.js";
import { skill } from "../helpers/repo.js";

/** The App's scans of two pushes, end to end on the loopback GitHub: the second reuses what the first validated. */

const FILES: Record<string, string> = { ...REPO_FILES };
for (let i = 0; i < 120; i++) FILES[`library/s${i}/SKILL.md`] = skill(`s${i}`);

let fake: FakeGitHub;
let github: { close: () => Promise<void> };
let server: TestServer;
let base: string;

beforeAll(async () => {
  fake = newFake(FakeGitHub, FILES);
  github = await serveOverHttp(fake);
  server = await startTestServer(new URL(fake.url).host, {}, { Octokit: TestOctokit });
  base = server.base;
  followCheckRunUpdates(fake);
});

afterAll(async () => {
  await server?.app.stop();
  await github?.close();
});

async function push(branch: string, changes: Record<string, string>, delivery: string): Promise<{ sha: string; finished: Record<string, unknown> }> {
  const before = fake.branches.get(branch) ?? (fake.branches.get(fake.defaultBranch) as string);
  const commit = fake.commit(branch, changes, "change one skill");
  await postWebhook(base, JSON.stringify(pushPayload(fake, { branch, before, after: commit.sha })), { delivery, event: "push" });
  const finished = (): Record<string, unknown> | undefined =>
    server
      .lines()
      .find((line) => line.msg === "skilldex scan finished" && line.sha === commit.sha && "apiCalls" in line);
  await waitUntil(() => finished() !== undefined, 30_000, `the scan of ${commit.sha} finishes`);
  return { sha: commit.sha, finished: finished() ?? {} };
}

test("a second push that changes one skill costs the App a fraction of the first one's API calls and bytes, with the same check run", async () => {
  const first = await push("main", { "library/s3/SKILL.md": skill("s3", "First change. Use when asked.") }, "cache-1");
  const second = await push("main", { "library/s4/SKILL.md": skill("s4", "Second change. Use when asked.") }, "cache-2");
  expect(first.finished.apiCalls).toBeGreaterThan(3);
  expect(Number(second.finished.apiCalls)).toBeLessThan(Number(first.finished.apiCalls) / 5);
  // The two tree listings (the commit's and the base's) are most of what is left.
  expect(Number(second.finished.bytesFetched)).toBeLessThan(Number(first.finished.bytesFetched));
  const [one] = runsOn(fake, first.sha);
  const [two] = runsOn(fake, second.sha);
  expect(two?.conclusion).toBe(one?.conclusion);
  expect(two?.output.title).toBe(one?.output.title);
  expect(fake.invalid).toEqual([]);
}, 90_000);
