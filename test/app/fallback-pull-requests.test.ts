import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { commentPayload, loadApp, newFake, type TestApp } from "./helpers.js";

const FILE = ".github/skilldex.yml";

let fake: FakeGitHub;
let app: TestApp;
let main: string;

beforeEach(async () => {
  fake = newFake(FakeGitHub);
  main = fake.defaultBranch;
  serveThroughNock(fake);
  app = await loadApp();
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the app made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

describe("a pull request from a fork", () => {
  test("gets a pull request against its base with the change, linked in the answer", async () => {
    fake.openPull(42, { head: "patch-1", fork: true, changes: { "skills/forked/SKILL.md": "---\nname: forked\n---\n" } });
    const { comment } = await app.comment({ body: "/skip skill:forked not ready" });

    const [opened] = fake.openedPulls();
    expect(fake.openedPulls()).toHaveLength(1);
    expect(opened?.head.ref).toBe(`skilldex/skip-42-${comment.id}`);
    expect(opened?.base.ref).toBe(main);
    expect(opened?.title).toBe("skilldex: skip skill:forked");
    expect(opened?.body).toContain("as @octocat asked in #42");
    expect(fake.file(opened?.head.ref ?? "", FILE)).toContain("- key: skill:forked\n    reason: not ready\n    by: octocat");
    expect(fake.history(opened?.head.ref ?? "")[0]?.message).toBe("skilldex: skip skill:forked (requested by @octocat in #42)");
    expect(fake.file(main, FILE)).toBeNull();
    expect(fake.replies(42)[0]).toContain(
      `skipped \`skill:forked\`: proposed in [#${opened?.number}](${opened?.html_url}) against \`${main}\`, because the app cannot push to a fork's branch.`,
    );
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
  });

  test("edits the base branch's skip file, keeping what is there", async () => {
    fake.commit(main, { [FILE]: "# team settings\nskip:\n  - key: skill:docx\n" });
    fake.openPull(42, { head: "patch-1", fork: true });
    await app.comment({ body: "/skip skill:pdf" });

    const branch = fake.openedPulls()[0]?.head.ref ?? "";
    expect(fake.file(branch, FILE)).toBe('# team settings\nskip:\n  - key: skill:docx\n  - key: skill:pdf\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#42"\n');
  });

  test("a redelivered webhook makes no second commit, no second pull request and no second answer", async () => {
    fake.openPull(42, { head: "patch-1", fork: true });
    const payload = commentPayload({ body: "/skip skill:pdf" });
    await app.deliver(payload, "delivery-fork");
    await app.deliver(payload, "delivery-fork");

    const opened = fake.openedPulls();
    expect(opened).toHaveLength(1);
    const branch = opened[0]?.head.ref ?? "";
    expect(fake.history(branch).filter((c) => c.message.startsWith("skilldex:"))).toHaveLength(1);
    expect(fake.replies(42)).toHaveLength(1);
    expect(fake.replies(42)[0]).toContain(`skipped \`skill:pdf\`: proposed in [#${opened[0]?.number}]`);
  });
});

describe("a protected head branch", () => {
  test("gets a pull request against the base instead of a direct commit", async () => {
    fake.openPull(42, { head: "release" });
    fake.protectedBranches.add("release");
    await app.comment({ body: "/skip skill:pdf" });

    const [opened] = fake.openedPulls();
    expect(opened?.base.ref).toBe(main);
    expect(fake.file("release", FILE)).toBeNull();
    expect(fake.file(opened?.head.ref ?? "", FILE)).toContain("- key: skill:pdf");
    expect(fake.replies(42)[0]).toContain("because this pull request's branch does not accept direct commits.");
  });
});

describe("a branch a ruleset guards", () => {
  test("gets a pull request when GitHub reports a rule violation", async () => {
    fake.openPull(42, { head: "feature" });
    fake.beforeWrite = ({ branch }) =>
      branch === "feature" ? { status: 409, body: { message: "Repository rule violations found\n\nChanges must be made through a pull request.\n\n" } } : undefined;
    await app.comment({ body: "/skip skill:pdf" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(fake.file(fake.openedPulls()[0]?.head.ref ?? "", FILE)).toContain("- key: skill:pdf");
  });
});

describe("an issue", () => {
  test("gets a pull request against the default branch, with keys resolved there", async () => {
    const { comment } = await app.comment({ body: "/skip skills/docx/ retired", pullRequest: false, number: 7 });

    const [opened] = fake.openedPulls();
    expect(opened?.head.ref).toBe(`skilldex/skip-7-${comment.id}`);
    expect(opened?.base.ref).toBe(main);
    expect(fake.file(opened?.head.ref ?? "", FILE)).toContain('- key: skill:docx\n    reason: retired\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#7"\n');
    expect(fake.replies(7)[0]).toContain("because an issue has no branch of its own.");
  });

  test("opens nothing when the default branch already has the preference", async () => {
    fake.commit(main, { [FILE]: "skip:\n  - key: skill:docx\n" });
    await app.comment({ body: "/skip skill:docx", pullRequest: false, number: 7 });

    expect(fake.openedPulls()).toEqual([]);
    expect([...fake.branches.keys()].filter((b) => b.startsWith("skilldex/"))).toEqual([]);
    expect(fake.replies(7)[0]).toContain("`skill:docx` is already skipped; nothing to change.");
  });

  test("/skips lists the default branch's preferences", async () => {
    fake.commit(main, { [FILE]: "skip:\n  - key: skill:docx\n" });
    await app.comment({ body: "/skips", pullRequest: false, number: 7 });

    expect(fake.replies(7)[0]).toContain(`1 skip preference in \`.github/skilldex.yml\` on \`${main}\`:\n  - \`skill:docx\``);
  });
});
