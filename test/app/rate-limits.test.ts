import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { FakeGitHub, type RecordedRequest, serveOverHttp } from "../helpers/fake-github.js";
import { git, makeGitRepo } from "../helpers/repo.js";
import { postWebhook, waitUntil } from "./app-process.js";
import { startTestServer, type TestServer } from "./app-server.js";
import { newFake, REPO_FILES } from "./helpers.js";
import { followCheckRunUpdates, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * One installation's scans share its GitHub budget: when GitHub answers one of its requests with
 * a secondary rate limit, none of that installation's requests is sent until GitHub's wait is
 * over, whichever scan or command sends them, while another installation's scan goes on. The
 * App as deployed (its own Octokit, retries and throttling), scans through the API source.
 */

const BUSY = 7;
const QUIET = 8;
const QUIET_REPO = { owner: "quiet-org", repo: "plugins" };
/** How long GitHub asks the busy installation to wait, in seconds. */
const WAIT_S = 2;
/** When, after the limit, the other pushes arrive: long after the App has the limit's answer. */
const LATER_MS = 400;
/** Requests already on their way when GitHub answered with the limit may arrive this late: the loop is busy with scans. */
const IN_FLIGHT_MS = 300;

let fake: FakeGitHub;
let github: { close: () => Promise<void>; host: string };
let server: TestServer;
let base: string;
/** Each request GitHub received: when, and for which installation (by repository). */
const arrivals: { at: number; installation: number; path: string }[] = [];
let limited: { at: number } | null = null;
let onLimited: () => void = () => undefined;
/** The quiet installation's repository's commit. */
let quietHead = "";

function installationOf(request: RecordedRequest): number {
  const variables = (request.body as { variables?: { owner?: string; name?: string } } | undefined)?.variables;
  const repository = request.path === "/graphql" ? `${variables?.owner}/${variables?.name}` : (/^\/repos\/([^/]+\/[^/]+)/.exec(request.path)?.[1] ?? "");
  if (repository.toLowerCase() === fake.fullName.toLowerCase()) return BUSY;
  if (repository === `${QUIET_REPO.owner}/${QUIET_REPO.repo}`) return QUIET;
  return 0;
}

beforeAll(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  const quiet = makeGitRepo({ "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Reads PDFs.\n---\n" });
  fake.serveGit({ [`${QUIET_REPO.owner}/${QUIET_REPO.repo}`]: quiet });
  quietHead = git(quiet, "rev-parse", "HEAD").trim();
  github = await serveOverHttp(fake);
  followCheckRunUpdates(fake, (request) => {
    const installation = installationOf(request);
    if (installation === 0) return undefined;
    arrivals.push({ at: performance.now(), installation, path: request.path });
    // The busy installation's first blob batch: GitHub's secondary rate limit, wait two seconds.
    if (installation === BUSY && request.path === "/graphql" && limited === null) {
      limited = { at: performance.now() };
      setTimeout(onLimited, LATER_MS);
      return {
        status: 403,
        headers: { "retry-after": String(WAIT_S) },
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" },
      };
    }
    return undefined;
  });
  // The App's own Octokit (no test Octokit): its retries, throttling and the installations' budgets.
  server = await startTestServer(github.host, { SCAN_WORKERS: "3" });
  base = server.base;
});

afterEach(() => {
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await server?.app.stop();
  await github?.close();
});

test("two scans of one installation, one of which meets a secondary rate limit, both complete, the installation sending nothing until GitHub's wait is over, while another installation's scan goes on", async () => {
  const start = fake.branches.get(fake.defaultBranch) as string;
  const pushes = ["busy-a", "busy-b"].map((branch, i) => {
    const commit = fake.commit(branch, { [`skills/extra-${i}/SKILL.md`]: `---\nname: extra-${i}\ndescription: Extra ${i}.\n---\n` });
    return { sha: commit.sha, body: JSON.stringify(pushPayload(fake, { branch, before: start, after: commit.sha, installation: BUSY })) };
  });
  // The quiet installation pushes while the busy one waits.
  const quietPayload = pushPayload(fake, { branch: "main", before: "0".repeat(40), after: quietHead, installation: QUIET });
  Object.assign(quietPayload.repository, { name: QUIET_REPO.repo, full_name: `${QUIET_REPO.owner}/${QUIET_REPO.repo}` });
  Object.assign(quietPayload.repository.owner, { login: QUIET_REPO.owner });
  // After the busy installation's first scan meets the limit, its second push and the quiet
  // installation's push arrive.
  const later = new Promise<number[]>((resolve) => {
    onLimited = () =>
      void Promise.all([postWebhook(base, (pushes[1] as { body: string }).body, { event: "push", delivery: "busy-push-1" }), postWebhook(base, JSON.stringify(quietPayload), { event: "push", delivery: "quiet-push" })]).then((answers) =>
        resolve(answers.map((a) => a.status)),
      );
  });
  expect((await postWebhook(base, (pushes[0] as { body: string }).body, { event: "push", delivery: "busy-push-0" })).status).toBe(202);
  expect(await later).toEqual([202, 202]);

  await waitUntil(() => [...pushes.map((p) => p.sha), quietHead].every((sha) => runsOn(fake, sha)[0]?.status === "completed"), 20_000, "the three check runs complete");
  for (const push of pushes) expect(runsOn(fake, push.sha).map((r) => r.conclusion)).toEqual(["success"]);
  expect(runsOn(fake, quietHead).map((r) => r.conclusion)).toEqual(["success"]);

  // From the rate limit's answer until GitHub's wait is over, the busy installation sent nothing:
  // not its first scan's other reads, not its second push's (nor that push's check run).
  const hit = (limited as { at: number } | null)?.at as number;
  const end = hit + WAIT_S * 1000 - 50;
  const during = arrivals.filter((a) => a.at > hit + IN_FLIGHT_MS && a.at < end);
  expect(during.filter((a) => a.installation === BUSY).map((a) => `${Math.round(a.at - hit)} ${a.path}`)).toEqual([]);
  expect(arrivals.filter((a) => a.installation === BUSY && a.at >= end).length).toBeGreaterThan(0);
  // The quiet installation, which pushed after the limit was hit, was scanned and got its check
  // run completed within the busy one's wait: its requests were not held.
  const quiet = arrivals.filter((a) => a.installation === QUIET);
  expect(quiet.length).toBeGreaterThan(3);
  expect(Math.max(...quiet.map((a) => a.at))).toBeLessThan(end);
  expect(server.output()).not.toContain("skilldex could not finish a scan");
}, 40_000);
