import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { STOOD_ASIDE_TITLE } from "../../app/action-checks.js";
import { FakeGitHub, serveOverHttp, type StoredCheckRun } from "../helpers/fake-github.js";
import { postWebhook, waitUntil } from "./app-process.js";
import { startTestServer, type TestServer } from "./app-server.js";
import { newFake, REPO_FILES, TestOctokit } from "./helpers.js";
import { actionCheckRunCreatedPayload, followCheckRunUpdates, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * No double checks: a commit the skilldex Action reports on (its check run named skilldex,
 * created by GitHub Actions) ends with the Action's check run and, at most, the App's standing
 * aside. Signed webhooks to the App's server, a loopback GitHub checked against GitHub's OpenAPI
 * description.
 */

const FILE = ".github/skilldex.yml";
const BROKEN_AGENT = { "agents/no-name.md": "---\ndescription: An agent without a name.\n---\n" };
/** The token a workflow's step holds: GitHub names GitHub Actions as the creator of its check runs. */
const WORKFLOW_TOKEN = "ghs_workflowGitHubToken000000000000000";

let fake: FakeGitHub;
let github: { close: () => Promise<void>; host: string };
let server: TestServer;
let base: string;
let delivery = 0;

beforeAll(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  github = await serveOverHttp(fake);
  followCheckRunUpdates(fake);
  server = await startTestServer(github.host, {}, { Octokit: TestOctokit });
  base = server.base;
});

afterEach(() => {
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await server?.app.stop();
  await github?.close();
});

/** A push of `changes` to `branch`, signed and posted; its commit. */
async function push(branch: string, changes: Record<string, string | null>): Promise<string> {
  const before = fake.branches.get(branch) ?? (fake.branches.get(fake.defaultBranch) as string);
  const commit = fake.commit(branch, changes);
  const answer = await postWebhook(base, JSON.stringify(pushPayload(fake, { branch, before, after: commit.sha })), { event: "push", delivery: `double-${++delivery}` });
  expect(answer.status).toBe(202);
  return commit.sha;
}

/** The skilldex Action posting its check run on `sha`, with the workflow's token, as its publish step does. */
function actionPostsCheckRun(sha: string): StoredCheckRun {
  const answer = fake.handle(
    "POST",
    `/repos/${fake.fullName}/check-runs`,
    JSON.stringify({ name: "skilldex", head_sha: sha, status: "completed", conclusion: "failure", started_at: new Date().toISOString(), completed_at: new Date().toISOString(), output: { title: "1 failed", summary: "From the Action." } }),
    { authorization: `token ${WORKFLOW_TOKEN}` },
  );
  expect(answer.status).toBe(201);
  return fake.checkRuns.at(-1) as StoredCheckRun;
}

test("a push to a commit the Action already reported on gets no check run from the App", async () => {
  const branch = "action-first";
  const commit = fake.commit(branch, BROKEN_AGENT);
  actionPostsCheckRun(commit.sha);
  const answer = await postWebhook(base, JSON.stringify(pushPayload(fake, { branch, before: fake.branches.get(fake.defaultBranch) as string, after: commit.sha })), { event: "push", delivery: `double-${++delivery}` });
  expect(answer.status).toBe(202);
  await waitUntil(() => server.lines().some((l) => l.msg === "skilldex posts no check run: the skilldex Action reports on this commit" && l.sha === commit.sha), 5000, "the App says why it posts nothing");
  expect(runsOn(fake, commit.sha).map((r) => r.app?.slug)).toEqual(["github-actions"]);
});

test("when the Action's check run comes after the App's, the App's completes as skipped, without buttons, saying the Action reports the commit", async () => {
  const sha = await push("app-first", BROKEN_AGENT);
  await waitUntil(() => runsOn(fake, sha)[0]?.status === "completed", 10_000, "the App's check run completes");
  const own = runsOn(fake, sha)[0] as StoredCheckRun & { actions?: unknown[] };
  expect(own.conclusion).toBe("failure");
  expect(own.actions?.length).toBeGreaterThan(0);

  const action = actionPostsCheckRun(sha);
  const created = JSON.stringify(actionCheckRunCreatedPayload(fake, action));
  expect((await postWebhook(base, created, { event: "check_run", delivery: `double-${++delivery}` })).status).toBe(202);
  await waitUntil(() => own.conclusion === "skipped", 5000, "the App's check run stands aside");
  expect(own.output.title).toBe(STOOD_ASIDE_TITLE);
  expect(own.output.summary).toContain("The skilldex Action reports on");
  expect(own.output.summary).toContain("`app-checks: false`");
  expect(own.actions).toEqual([]);
  expect(action.conclusion).toBe("failure");

  // The same delivery again (a redelivery) changes nothing more.
  const patches = () => fake.requests.filter((r) => r.method === "PATCH" && r.path.endsWith(`/check-runs/${own.id}`)).length;
  const before = patches();
  expect((await postWebhook(base, created, { event: "check_run", delivery: `double-${++delivery}` })).status).toBe(202);
  await waitUntil(() => server.lines().filter((l) => l.msg === "skilldex has no check run on a commit the skilldex Action reports on").length === 1, 5000, "the redelivery is handled");
  expect(patches()).toBe(before);
}, 20_000);

test("a check run another workflow job creates is acknowledged and dropped without a request to GitHub", async () => {
  const sha = await push("other-job", { "agents/fine.md": "---\nname: fine\ndescription: Fine.\n---\n" });
  await waitUntil(() => runsOn(fake, sha)[0]?.status === "completed", 10_000, "the App's check run completes");
  const job = { ...actionPostsCheckRun(sha), name: "build" };
  const requests = fake.requests.length;
  expect((await postWebhook(base, JSON.stringify(actionCheckRunCreatedPayload(fake, job)), { event: "check_run", delivery: `double-${++delivery}` })).status).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(fake.requests.length).toBe(requests);
  expect(runsOn(fake, sha).find((r) => r.app?.slug === "skilldex")?.conclusion).toBe("success");
});

test("a push's scan reads the settings file once: at the webhook, for app-checks, and the worker scans with what was read", async () => {
  const sha = await push("settings-once", { ...BROKEN_AGENT, [FILE]: 'exclude: ["agents/**"]\n' });
  await waitUntil(() => runsOn(fake, sha)[0]?.status === "completed", 10_000, "the check run completes");
  // The excluded broken agent does not fail the check: the worker applied the settings.
  expect(runsOn(fake, sha)[0]?.conclusion).toBe("success");
  const reads = fake.requests.filter((r) => r.method === "GET" && r.path === `/repos/${fake.fullName}/contents/${FILE}` && r.query.get("ref") === sha);
  expect(reads).toHaveLength(1);
});
