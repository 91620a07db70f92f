import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseSkipFile } from "../../src/skips/index.js";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { commentPayload, loadApp, newFake, REPO_FILES, type TestApp } from "./helpers.js";

/** Comments written to break the app, and GitHub's limits on what it answers with. */

const FILE = ".github/skilldex.yml";

let fake: FakeGitHub;
let app: TestApp;

beforeEach(async () => {
  const legacy = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`retired/old-skill-number-${i}/SKILL.md`, `---\nname: old-skill-number-${i}\n---\n`]));
  fake = newFake(FakeGitHub, { ...REPO_FILES, ...legacy });
  serveThroughNock(fake);
  app = await loadApp();
});

afterEach(() => {
  stopServingThroughNock();
  expect(fake.invalid).toEqual([]);
});

const only = (issue = 42): string => {
  const replies = fake.replies(issue);
  expect(replies).toHaveLength(1);
  return replies[0] as string;
};

describe("commands that must not run, and ones that must not be dropped", () => {
  test("a command in a fence opened on a list item, or in <pre>, does not run: nothing is written and nothing is answered", async () => {
    fake.openPull(42, { head: "feature" });
    const { comment } = await app.comment({ body: "Steps:\n1. ```\n   /skip skill:pdf\n   ```\n- ~~~\n  /unskip skill:docx\n  ~~~\n<pre>\n/skip skill:legacy-pdf\n</pre>" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(fake.replies(42)).toEqual([]);
    expect(fake.reactionsOn(comment.id)).toEqual([]);
  });

  test("a comment with more than 50 commands runs 50 and says how many were not run", async () => {
    fake.openPull(42, { head: "feature" });
    const body = Array.from({ length: 53 }, (_, i) => `/skip skill:nope-${i}`).join("\n");
    await app.comment({ body });

    const answer = only();
    expect(answer.split("\n").filter((line) => line.startsWith("- "))).toHaveLength(50);
    expect(answer).toContain("3 more commands were not run: a comment runs at most 50. Put the rest in another comment.");
  });

  test("a command on a line holding U+2028 is answered, not ignored", async () => {
    fake.openPull(42, { head: "feature" });
    await app.comment({ body: "/skip skill:pdf\u2028" });

    expect(parseSkipFile(fake.file("feature", FILE) ?? "").skip.map((e) => e.key)).toEqual(["skill:pdf"]);
    expect(only()).toContain("skipped `skill:pdf`: committed");
  });
});

describe("the reply marker", () => {
  test("another bot's comment carrying the marker does not silence the app; only the app's own answers count", async () => {
    fake.openPull(42, { head: "feature" });
    const payload = commentPayload({ body: "/skip skill:pdf" });
    fake.addComment(42, `<!-- skilldex:reply-to ${payload.comment.id} -->\nA look-alike.`, { login: "other-app[bot]", type: "Bot" }, { id: 999, slug: "other-app" });
    await app.deliver(payload);

    const answers = fake.replies(42);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toContain("skipped `skill:pdf`: committed");
    expect(fake.reactionsOn(payload.comment.id)).toEqual(["eyes", "rocket"]);
  });
});

describe("GitHub's limits", () => {
  test("a fallback pull request whose title would pass 256 characters gets a cut title and every key in its body", async () => {
    fake.openPull(42, { head: "patch-1", fork: true });
    await app.comment({ body: "/skip retired/ superseded" });

    const [opened] = fake.openedPulls();
    expect(opened).toBeDefined();
    expect([...(opened?.title ?? "")].length).toBeLessThanOrEqual(256);
    expect(opened?.title).toMatch(/^skilldex: skip skill:old-skill-number-0, .* … \(30 keys, listed below\)$/);
    for (let i = 0; i < 30; i++) expect(opened?.body).toContain(`- skip \`skill:old-skill-number-${i}\``);
    expect(only()).toContain(`proposed in [#${opened?.number}]`);
  });

  test("a fallback whose pull request could not be opened leaves no branch behind, and says why", async () => {
    fake.openPull(42, { head: "patch-1", fork: true });
    fake.beforePull = () => ({ status: 403, body: { message: "Resource not accessible by integration" } });
    const { comment } = await app.comment({ body: "/skip skill:pdf" });

    expect([...fake.branches.keys()].filter((branch) => branch.startsWith("skilldex/"))).toEqual([]);
    expect(only()).toContain("could not open a pull request against");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
  });

  test("a /skips answer past 65,536 characters is cut at the limit with a note, instead of refused", async () => {
    fake.openPull(42, { head: "feature" });
    const entries = Array.from({ length: 1500 }, (_, i) => `  - key: skill:kept-for-compatibility-${i}\n    reason: Kept while the replacement ships everywhere\n    by: octocat\n    ref: "#${i}"\n`);
    fake.commit("feature", { [FILE]: `skip:\n${entries.join("")}` });
    const { comment } = await app.comment({ body: "/skips" });

    const answer = only();
    expect(answer.length).toBeLessThanOrEqual(65_536);
    expect(answer).toContain(`<!-- skilldex:reply-to ${comment.id} -->`);
    expect(answer).toContain("1500 skip preferences in `.github/skilldex.yml` on `feature`:");
    expect(answer).toMatch(/… \d+ more lines cut: GitHub takes at most 65,536 characters\. The whole list is in `\.github\/skilldex\.yml`\.$/);
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
  });
});
