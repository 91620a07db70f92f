import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { parseSkipFile } from "../../src/skips/index.js";
import { type AppProcess, freePort, percentile, postWebhook, postWebhooksFromWorker, requireFreshBuild, servedWebhookMs, sign, startAppProcess, waitUntil } from "./app-process.js";
import { FakeGitHub, seeded, serveOverHttp } from "../helpers/fake-github.js";
import { commentPayload, newFake, REPO_FILES } from "./helpers.js";

/**
 * The app as deployed: `node lib/app/main.js` in its own process, signed webhooks over HTTP, and
 * a loopback GitHub that keeps the repository's state, refuses a contents write whose blob sha is
 * stale, can lose writes to someone else and answer late, and checks every request against
 * GitHub's OpenAPI description.
 */

const FILE = ".github/skilldex.yml";
const SKILLS = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`skills/s${i}/SKILL.md`, `---\nname: s${i}\ndescription: Skill ${i}.\n---\n`]));

interface Rig {
  fake: FakeGitHub;
  apps: AppProcess[];
  close: () => Promise<void>;
}

const rigs: Rig[] = [];

/** A loopback GitHub with pull request #42 from `feature`, and `replicas` app processes in front of it. */
async function rig(options: { latencyMs?: number; races?: number; replicas?: number } = {}): Promise<Rig> {
  const fake = newFake(FakeGitHub, { ...REPO_FILES, ...SKILLS });
  fake.openPull(42, { head: "feature" });
  if (options.races) fake.outsideWriter = { fraction: options.races, random: seeded(12) };
  const github = await serveOverHttp(fake, { latencyMs: options.latencyMs });
  const apps = await Promise.all(Array.from({ length: options.replicas ?? 1 }, () => startAppProcess(github.host)));
  const made: Rig = {
    fake,
    apps,
    close: async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await github.close();
    },
  };
  rigs.push(made);
  return made;
}

beforeAll(() => requireFreshBuild());

afterEach(async () => {
  for (const made of rigs.splice(0)) {
    // Every request the app made is one GitHub's OpenAPI description allows.
    expect(made.fake.invalid).toEqual([]);
    await made.close();
  }
});

const skipped = (fake: FakeGitHub): string[] => parseSkipFile(fake.file("feature", FILE) ?? "").skip.map((entry) => entry.key);
const appCommits = (fake: FakeGitHub) => fake.history("feature").filter((commit) => commit.message.startsWith("skilldex:"));
const outcomes = (app: AppProcess) => app.lines().filter((line) => line.msg === "skilldex command handled");

/** Each comment's answer links a commit of the app whose skip file holds that comment's key. */
function expectEachAnswerLinksItsCommit(fake: FakeGitHub, comments: { id: number; key: string }[]): void {
  const commits = appCommits(fake);
  for (const { id, key } of comments) {
    const answers = fake.replies(42).filter((body) => body.includes(`<!-- skilldex:reply-to ${id} -->`));
    expect(answers, `answers to ${id}`).toHaveLength(1);
    const sha = /committed \[`([0-9a-f]{7})`\]/.exec(answers[0] as string)?.[1] ?? "none";
    const holding = commits.find((commit) => commit.sha.startsWith(sha));
    expect(parseSkipFile(holding?.files.get(FILE) ?? "").skip.map((e) => e.key), `the commit linked for ${key}`).toContain(key);
  }
}

describe("at the door", () => {
  test("a forged signature is refused with 401 and one warning line naming the delivery, without its payload or a stack", async () => {
    const { apps, fake } = await rig();
    const [app] = apps as [AppProcess];
    const body = JSON.stringify(commentPayload({ body: "/skip skill:pdf forged-payload-marker" }));

    const forged = await postWebhook(app.base, body, { delivery: "delivery-forged", signature: sign(body, "not-the-secret") });
    const unsigned = await postWebhook(app.base, body, { delivery: "delivery-unsigned", signature: null });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect([forged.status, unsigned.status]).toEqual([401, 401]);
    for (const delivery of ["delivery-forged", "delivery-unsigned"]) {
      const warnings = app.lines().filter((line) => line.level === 40 && JSON.stringify(line).includes(delivery));
      expect(warnings, delivery).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ delivery, event: "issue_comment", remoteAddress: "127.0.0.1" });
    }
    expect(app.output()).not.toContain("forged-payload-marker");
    expect(app.output()).not.toMatch(/\n\s+at /);
    expect(fake.requests).toEqual([]);
  });

  test("a forged delivery of 200 MiB is refused with 413 while it streams, and the app's peak memory stays under 300 MB", async () => {
    const { apps } = await rig();
    const [app] = apps as [AppProcess];
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const status = await new Promise<number>((resolve, reject) => {
      // Chunked, with no Content-Length: the cap must hold while reading, not only on the header.
      const req = request(`${app.base}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": "delivery-huge", "x-hub-signature-256": sign("forged") },
      });
      let answered: number | null = null;
      req.on("response", (res) => {
        answered = res.statusCode ?? 0;
        res.resume();
        res.on("end", () => resolve(answered as number));
      });
      req.on("error", (error) => (answered === null ? reject(error) : resolve(answered)));
      let sent = 0;
      const write = (): void => {
        while (sent < 200 && answered === null) {
          sent++;
          if (!req.write(chunk)) {
            req.once("drain", write);
            return;
          }
        }
        req.end();
      };
      write();
    });

    expect(status).toBe(413);
    const peak = app.peakRss();
    console.log(`peak RSS after a 200 MiB forged delivery: ${(peak / 1e6).toFixed(1)} MB`);
    expect(peak).toBeLessThan(300e6);
    // The warning is written as the answer goes out: under load its line can reach the pipe a moment later.
    const warned = () => app.lines().filter((line) => line.level === 40 && line.delivery === "delivery-huge");
    await waitUntil(() => warned().length > 0, 5000, "the warning line of the refused delivery");
    expect(warned()).toHaveLength(1);
  });
});

describe("redelivery", () => {
  test("a delivery posted twice at once, and again after its answer, makes one commit and one answer", async () => {
    const { apps, fake } = await rig();
    const [app] = apps as [AppProcess];
    const body = JSON.stringify(commentPayload({ body: "/skip skill:pdf twice" }));

    await Promise.all([postWebhook(app.base, body, { delivery: "delivery-twice" }), postWebhook(app.base, body, { delivery: "delivery-twice" })]);
    await waitUntil(() => outcomes(app).length + app.lines().filter((l) => l.msg === "skilldex already answered the comment").length >= 2, 10_000, "both deliveries handled");
    await postWebhook(app.base, body, { delivery: "delivery-redelivered" });
    await waitUntil(() => app.lines().some((l) => l.traceId === "delivery-redelivered" && l.msg === "skilldex already answered the comment"), 10_000, "the redelivery handled");

    expect(appCommits(fake)).toHaveLength(1);
    expect(skipped(fake)).toEqual(["skill:pdf"]);
    expect(fake.replies(42)).toHaveLength(1);
  });
});

describe("stopping", () => {
  test("SIGTERM finishes the commands already acknowledged before the process exits", async () => {
    const { apps, fake } = await rig({ latencyMs: 300 });
    const [app] = apps as [AppProcess];
    const payload = commentPayload({ body: "/skip skill:pdf on the way out" });

    const answer = await postWebhook(app.base, JSON.stringify(payload), { delivery: "delivery-last" });
    await app.stop();

    expect(answer.status).toBe(202);
    expect(skipped(fake)).toEqual(["skill:pdf"]);
    expect(fake.replies(42)).toHaveLength(1);
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
  });
});

describe("GitHub unreachable", () => {
  test("each command ends in one outcome line saying the connection was refused, and the answer could not be posted", async () => {
    const closed = await freePort();
    const app = await startAppProcess(`127.0.0.1:${closed}`);
    try {
      await postWebhook(app.base, JSON.stringify(commentPayload({ body: "/skip skill:pdf\n/unskip skill:docx" })), { delivery: "delivery-down-1" });
      await postWebhook(app.base, JSON.stringify(commentPayload({ body: "/skips" })), { delivery: "delivery-down-2" });

      await waitUntil(() => outcomes(app).length >= 3, 20_000, "three outcome lines");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const lines = outcomes(app);
      expect(lines.map((l) => [l.traceId, l.command]).sort()).toEqual([
        ["delivery-down-1", "skip"],
        ["delivery-down-1", "unskip"],
        ["delivery-down-2", "skips"],
      ]);
      for (const line of lines) {
        expect(line).toMatchObject({ outcome: "failed", answered: false, problem: expect.stringContaining(`connection refused to 127.0.0.1:${closed}`) });
      }
      const unanswered = app.lines().filter((l) => l.msg === "skilldex could not answer the comment");
      expect(unanswered).toHaveLength(2);
      for (const line of unanswered) expect(line.problem).toContain(`connection refused to 127.0.0.1:${closed}`);
      expect(app.output()).not.toMatch(/answered 500/);
    } finally {
      await app.stop();
    }
  });
});

describe("many commands at once", () => {
  test("20 simultaneous /skip comments on one pull request: 20 of 20 in the file within 10 s, in at most 3 commits, with 30% of writes losing a race", async () => {
    const { apps, fake } = await rig({ races: 0.3 });
    const [app] = apps as [AppProcess];
    const comments = Array.from({ length: 20 }, (_, i) => ({ payload: commentPayload({ body: `/skip skill:s${i} burst ${i}` }), key: `skill:s${i}` }));

    const started = performance.now();
    const answers = await Promise.all(comments.map(({ payload }, i) => postWebhook(app.base, JSON.stringify(payload), { delivery: `delivery-burst-${i}` })));
    await waitUntil(() => skipped(fake).length === 20, 10_000, "20 keys in the skip file");
    const elapsed = performance.now() - started;
    await waitUntil(() => fake.replies(42).length === 20, 10_000, "20 answers");

    console.log(`burst of 20: all in the file after ${Math.round(elapsed)} ms, ${appCommits(fake).length} commits, ${fake.outsideCommits} writes lost to an outside writer`);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(skipped(fake).sort()).toEqual(comments.map((c) => c.key).sort());
    expect(appCommits(fake).length).toBeLessThanOrEqual(3);
    expect(fake.outsideCommits).toBeGreaterThan(0);
    expectEachAnswerLinksItsCommit(fake, comments.map(({ payload, key }) => ({ id: payload.comment.id, key })));
  });

  test("two app processes behind one URL share 40 simultaneous commands: 40 of 40 applied, none twice", async () => {
    const { apps, fake } = await rig({ replicas: 2 });
    const comments = Array.from({ length: 40 }, (_, i) => ({ payload: commentPayload({ body: `/skip skill:s${i}` }), key: `skill:s${i}` }));

    // The load balancer's part: each delivery goes to one of them, in turn.
    await Promise.all(comments.map(({ payload }, i) => postWebhook((apps[i % 2] as AppProcess).base, JSON.stringify(payload), { delivery: `delivery-pair-${i}` })));
    // Each command's log line comes after its answer and its last reaction.
    await waitUntil(() => apps.flatMap((app) => outcomes(app)).length >= 40, 30_000, "40 outcome lines");
    await new Promise((resolve) => setTimeout(resolve, 300));

    console.log(`two replicas: 40 commands in ${appCommits(fake).length} commits`);
    expect(skipped(fake).sort()).toEqual(comments.map((c) => c.key).sort());
    expect(fake.replies(42)).toHaveLength(40);
    expectEachAnswerLinksItsCommit(fake, comments.map(({ payload, key }) => ({ id: payload.comment.id, key })));
    expect(apps.flatMap((app) => outcomes(app)).map((line) => line.outcome)).toEqual(Array(40).fill("done"));
  });
});

/** 1,050 signed webhooks at concurrency 20, one in 21 a `/skip`, the rest comments without commands. */
async function load(latencyMs: number): Promise<{ p95: number; statuses: number[]; keys: string[]; app: AppProcess; fake: FakeGitHub; comments: { id: number; key: string }[]; tookMs: number }> {
  const { apps, fake } = await rig({ latencyMs });
  const [app] = apps as [AppProcess];
  const comments: { id: number; key: string }[] = [];
  const bodies = Array.from({ length: 1050 }, (_, i) => {
    if (i % 21 !== 0) return JSON.stringify(commentPayload({ body: `Looks good to me (${i}).` }));
    const key = `skill:s${comments.length}`;
    const payload = commentPayload({ body: `/skip ${key} load` });
    comments.push({ id: payload.comment.id, key });
    return JSON.stringify(payload);
  });
  const started = performance.now();
  const answers = await postWebhooksFromWorker(app.base, bodies, 20);
  await waitUntil(() => skipped(fake).length >= 50 && fake.replies(42).length >= 50, 80_000, "50 keys and 50 answers");
  return { p95: percentile(answers.map((a) => a.ms), 95), statuses: answers.map((a) => a.status), keys: skipped(fake), app, fake, comments, tookMs: performance.now() - started };
}

describe("1,050 webhooks at concurrency 20, 50 commands among them", () => {
  test.each([
    ["GitHub answering at once", 0],
    ["GitHub answering 2 s late", 2000],
  ])("%s: 50 of 50 applied, no errors, webhooks answered at p95 under 100 ms", async (_name, latencyMs) => {
    const { p95, statuses, keys, app, fake, comments, tookMs } = await load(latencyMs);
    const served = servedWebhookMs(app);
    console.log(`1,050 webhooks, GitHub ${latencyMs} ms late: webhook answer p95 ${p95.toFixed(1)} ms (${percentile(served, 95)} ms as the app logs it); 50 commands done after ${Math.round(tookMs)} ms in ${appCommits(fake).length} commits`);
    expect(statuses).toEqual(Array(1050).fill(202));
    // The app's own clock, from the request to the answer sent (pino-http's line, the one that said
    // 9001ms before); the client's clock also holds the time the machine took to schedule both
    // processes, which on a shared 2-core machine under other load is beyond the app's reach.
    expect(percentile(served, 95)).toBeLessThan(100);
    expect(p95).toBeLessThan(500);
    expect(keys.sort()).toEqual(comments.map((c) => c.key).sort());
    expectEachAnswerLinksItsCommit(fake, comments);
    await waitUntil(() => outcomes(app).length >= 50, 10_000, "50 outcome lines");
    expect(outcomes(app).map((line) => line.outcome)).toEqual(Array(50).fill("done"));
    expect(app.lines().filter((line) => line.level >= 50)).toEqual([]);
  }, 120_000);
});

afterAll(async () => {
  for (const made of rigs.splice(0)) await made.close();
});
