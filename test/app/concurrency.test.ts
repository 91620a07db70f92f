import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseSkipFile } from "../../src/skips/index.js";
import { backoffMs } from "../../app/write.js";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { commentPayload, loadApp, newFake, REPO_FILES } from "./helpers.js";

const FILE = ".github/skilldex.yml";

let fake: FakeGitHub;

beforeEach(() => {
  const skills = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`skills/s${i}/SKILL.md`, `---\nname: s${i}\n---\n`]));
  fake = newFake(FakeGitHub, { ...REPO_FILES, ...skills });
  fake.openPull(42, { head: "feature" });
  serveThroughNock(fake);
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the app made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

const skippedKeys = (branch: string): string[] => parseSkipFile(fake.file(branch, FILE) ?? "").skip.map((e) => e.key);
const appCommits = (branch: string) => fake.history(branch).filter((c) => c.message.startsWith("skilldex:"));

describe("conflicts", () => {
  test("a 409 from a stale blob sha makes the app read again, re-apply and keep both changes", async () => {
    fake.commit("feature", { [FILE]: "skip:\n  - key: skill:docx\n" });
    const pauses: number[] = [];
    const app = await loadApp({ sleep: async (ms) => void pauses.push(ms), random: () => 0.5 });
    let raced = false;
    fake.beforeWrite = ({ branch }) => {
      if (raced) return;
      raced = true;
      // Someone else's edit lands between the app's read and its write.
      fake.commit(branch, { [FILE]: "skip:\n  - key: skill:docx\n  - key: skill:s1\n    by: someone-else\n" }, "hand edit");
    };
    await app.comment({ body: "/skip skill:pdf" });

    expect(skippedKeys("feature")).toEqual(["skill:docx", "skill:s1", "skill:pdf"]);
    expect(appCommits("feature")).toHaveLength(1);
    expect(pauses).toEqual([75]);
    expect(fake.replies(42)[0]).toContain("skipped `skill:pdf`: committed");
  });

  test("the 422 of a branch that moved under the write is retried too, and the other commit is kept", async () => {
    const app = await loadApp();
    let raced = false;
    fake.beforeWrite = ({ branch }) => {
      if (raced) return;
      raced = true;
      fake.commit(branch, { "README.md": "# skills, renamed\n" }, "unrelated commit");
      return { status: 422, body: { message: "Reference update failed" } };
    };
    await app.comment({ body: "/skip skill:pdf" });

    expect(skippedKeys("feature")).toEqual(["skill:pdf"]);
    expect(fake.file("feature", "README.md")).toBe("# skills, renamed\n");
    expect(fake.replies(42)[0]).toContain("skipped `skill:pdf`: committed");
  });

  test("a skip file created by someone else in the race window is read and kept", async () => {
    const app = await loadApp();
    let raced = false;
    fake.beforeWrite = ({ branch }) => {
      if (raced) return;
      raced = true;
      fake.commit(branch, { [FILE]: "# by hand\nskip:\n  - key: skill:docx\n" }, "create the file by hand");
    };
    await app.comment({ body: "/skip skill:pdf" });

    expect(fake.file("feature", FILE)).toBe('# by hand\nskip:\n  - key: skill:docx\n  - key: skill:pdf\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#42"\n');
  });

  test("gives up after the configured attempts and says so, writing nothing", async () => {
    const app = await loadApp({ maxAttempts: 3 });
    let n = 0;
    fake.beforeWrite = ({ branch }) => void fake.commit(branch, { [FILE]: `# edit ${++n}\n` }, "busy neighbour");
    const { comment } = await app.comment({ body: "/skip skill:pdf" });

    expect(n).toBe(3);
    expect(appCommits("feature")).toEqual([]);
    expect(fake.replies(42)[0]).toContain(".github/skilldex.yml on feature kept changing; gave up after 3 attempts, try the command again.");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("pauses grow and are jittered, so racing writers spread out", () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, () => 0))).toEqual([50, 100, 200, 400, 800, 1500]);
    expect([1, 2, 6, 10].map((attempt) => backoffMs(attempt, () => 1))).toEqual([100, 200, 3000, 3000]);
  });
});

describe("many commands at once", () => {
  test("twenty concurrent /skip comments on one branch are coalesced: all twenty applied in one to three commits, each answer linking the commit that holds it", async () => {
    const app = await loadApp();
    const payloads = Array.from({ length: 20 }, (_, i) => commentPayload({ body: `/skip skill:s${i} reason ${i}` }));
    await Promise.all(payloads.map((payload, i) => app.deliver(payload, `delivery-${i}`)));

    expect(skippedKeys("feature").sort()).toEqual(Array.from({ length: 20 }, (_, i) => `skill:s${i}`).sort());
    const commits = appCommits("feature");
    expect(commits.length).toBeGreaterThanOrEqual(1);
    expect(commits.length).toBeLessThanOrEqual(3);
    const replies = fake.replies(42);
    expect(replies).toHaveLength(20);
    for (const [i, payload] of payloads.entries()) {
      const reply = replies.find((r) => r.includes(`reply-to ${payload.comment.id} `)) ?? "";
      const sha = /committed \[`([0-9a-f]{7})`\]/.exec(reply)?.[1];
      const holding = commits.find((c) => c.sha.startsWith(sha ?? "-"));
      expect(holding?.files.get(FILE), `reply to comment ${i}`).toContain(`- key: skill:s${i}\n`);
      expect(holding?.message).toContain(`skill:s${i}`);
    }
  });

  test("twenty concurrent issue comments each get their own pull request with their change", async () => {
    const app = await loadApp();
    const payloads = Array.from({ length: 20 }, (_, i) => commentPayload({ body: `/skip skill:s${i}`, pullRequest: false, number: 7 }));
    await Promise.all(payloads.map((payload) => app.deliver(payload)));

    const opened = fake.openedPulls();
    expect(opened).toHaveLength(20);
    const proposed = opened.map((p) => skippedKeys(p.head.ref)).flat().sort();
    expect(proposed).toEqual(Array.from({ length: 20 }, (_, i) => `skill:s${i}`).sort());
  });
});

describe("redelivery", () => {
  test("a webhook delivered twice makes one commit and one answer", async () => {
    const app = await loadApp();
    const payload = commentPayload({ body: "/skip skill:pdf\n/unskip skill:docx" });
    await app.deliver(payload, "delivery-twice");
    await app.deliver(payload, "delivery-twice");

    expect(appCommits("feature")).toHaveLength(1);
    expect(skippedKeys("feature")).toEqual(["skill:pdf"]);
    const replies = fake.replies(42);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`<!-- skilldex:reply-to ${payload.comment.id} -->`);
    expect(replies[0]).toContain("skipped `skill:pdf`: committed");
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
  });

  test("a redelivery after the answer, with more comments since, only reads the conversation", async () => {
    const app = await loadApp();
    const payload = commentPayload({ body: "/skip skill:pdf" });
    await app.deliver(payload, "delivery-first");
    fake.addComment(42, "Thanks!");
    fake.addComment(42, "/skips");
    const before = fake.requests.length;
    await app.deliver(payload, "delivery-redelivered");

    const calls = fake.requests.slice(before).filter((r) => !r.path.endsWith("/access_tokens"));
    expect(calls).toEqual([{ method: "GET", path: `/repos/${fake.fullName}/issues/42/comments` }]);
    expect(fake.replies(42)).toHaveLength(3);
    expect(appCommits("feature")).toHaveLength(1);
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
    const answered = app.records.find((r) => r.msg === "skilldex already answered the comment");
    expect(answered).toMatchObject({ traceId: "delivery-redelivered", comment: payload.comment.id, reply: fake.comments[0]?.id });
  });

  test("a person's comment carrying the answer's marker does not stop the app answering", async () => {
    const app = await loadApp();
    const payload = commentPayload({ body: "/skip skill:pdf" });
    fake.addComment(42, `<!-- skilldex:reply-to ${payload.comment.id} -->\nI answered this myself.`);
    await app.deliver(payload);

    expect(fake.replies(42)).toHaveLength(2);
    expect(fake.replies(42)[1]).toContain("skipped `skill:pdf`: committed");
  });

  test("two deliveries at the same moment make one commit and keep one answer", async () => {
    const app = await loadApp();
    const payload = commentPayload({ body: "/skip skill:pdf" });
    await Promise.all([app.deliver(payload, "delivery-same"), app.deliver(payload, "delivery-same")]);

    expect(appCommits("feature")).toHaveLength(1);
    expect(skippedKeys("feature")).toEqual(["skill:pdf"]);
    expect(fake.replies(42)).toHaveLength(1);
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
    expect(app.records.filter((r) => r.msg === "skilldex withdrew a second answer to the comment")).toHaveLength(1);
  });
});
