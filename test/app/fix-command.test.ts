import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { commentPayload, loadApp, newFake, REPO_FILES, type TestApp } from "./helpers.js";

/**
 * `/skilldex fix` on a pull request: real `issue_comment.created` payloads, the one fake GitHub
 * (every request checked against GitHub's OpenAPI description), the files read through the API
 * source as the App reads them, and the commit the fixes land in.
 */

const PLUGIN = "plugins/tools/.claude-plugin/plugin.json";
const SKILL = "skills/pdf/SKILL.md";
/** Two safe fixes in two files: a component path without `./`, a frontmatter value holding `: `. */
const FIXABLE: Record<string, string> = {
  [PLUGIN]: `{\n  "name": "tools",\n  "commands": ["commands/deploy.md"]\n}\n`,
  [SKILL]: `---\nname: pdf\n# why: kept\ndescription: Use when: the user asks for PDF work\n---\n\nBody: kept, byte for byte.\r\n`,
};
const FIXED: Record<string, string> = {
  [PLUGIN]: `{\n  "name": "tools",\n  "commands": ["./commands/deploy.md"]\n}\n`,
  [SKILL]: `---\nname: pdf\n# why: kept\ndescription: "Use when: the user asks for PDF work"\n---\n\nBody: kept, byte for byte.\r\n`,
};

let fake: FakeGitHub;
let app: TestApp;

beforeEach(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  fake.grant("reader", "read");
  serveThroughNock(fake);
  // The fake serves the API, not git: the files come through the API source, with the installation's token.
  app = await loadApp({}, { SCAN_SOURCE: "api" });
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the App made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

const reply = (issue = 42): string => {
  const replies = fake.replies(issue);
  expect(replies).toHaveLength(1);
  return replies[0] as string;
};

describe("/skilldex fix", () => {
  test("commits every safe fix to the pull request's branch in one commit, other bytes untouched, and lists the files and fixes", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    const before = fake.history("feature").length;
    const { comment } = await app.comment({ body: "Thanks! Let's tidy this up.\n\n/skilldex fix" });

    expect(fake.history("feature")).toHaveLength(before + 1);
    const [head, parent] = fake.history("feature") as [ReturnType<FakeGitHub["history"]>[number], ReturnType<FakeGitHub["history"]>[number]];
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file("feature", path)).toBe(text);
    // Every other file of the head is as it was.
    for (const [path, text] of parent.files) if (!(path in FIXED)) expect(head.files.get(path)).toBe(text);
    expect([...head.files.keys()].sort()).toEqual([...parent.files.keys()].sort());
    expect(head.message).toBe(
      ["skilldex: safe fixes in 2 files (requested by @octocat in #42)", "", `- ${PLUGIN}: plugin/component-paths`, `- ${SKILL}: frontmatter/yaml`].join("\n"),
    );
    const answer = reply();
    expect(answer).toContain(`- \`/skilldex fix\` — committed the safe fixes in 2 files as [\`${head.sha.slice(0, 7)}\`](https://github.com/${fake.fullName}/commit/${head.sha}) to \`feature\`:`);
    expect(answer).toContain(`  - \`${PLUGIN}\` — plugin/component-paths`);
    expect(answer).toContain(`  - \`${SKILL}\` — frontmatter/yaml`);
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "rocket"]);
    // One tree, one commit, one move of the branch: the Git Data API's writes, and no other (GraphQL only reads blobs).
    const writes = fake.requests.filter((r) => r.method !== "GET" && !/\/(comments|reactions|access_tokens|graphql)$/.test(r.path)).map((r) => `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, "")}`);
    expect(writes).toEqual(["POST /git/trees", "POST /git/commits", "PATCH /git/refs/heads/feature"]);
    console.log(`/skilldex fix of 2 files: ${fake.requests.length} requests to GitHub, ${fake.requests.filter((r) => r.method === "GET").length} of them reads`);
  });

  test("answers nothing to fix, and commits nothing, when no safe fix applies", async () => {
    const pull = fake.openPull(42, { head: "feature", changes: { "skills/new/SKILL.md": "---\nname: new\ndescription: Fine.\n---\n" } });
    const before = fake.history("feature").length;
    await app.comment({ body: "/skilldex fix" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(reply()).toContain(`- \`/skilldex fix\` — nothing to fix: no safe fix applies at \`${pull.head.sha.slice(0, 7)}\`.`);
  });

  test("by a reader: nothing is committed and the answer says why", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    const before = fake.history("feature").length;
    const { comment } = await app.comment({ body: "/skilldex fix", login: "reader" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(fake.file("feature", PLUGIN)).toBe(FIXABLE[PLUGIN]);
    expect(reply()).toContain("not allowed: committing fixes needs write access to this repository, and `reader` has read access; nothing was committed.");
    expect(fake.reactionsOn(comment.id)).toEqual(["eyes", "confused"]);
    expect(fake.openedPulls()).toEqual([]);
  });

  test("a redelivered webhook makes no second commit and no second answer", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    const before = fake.history("feature").length;
    const payload = commentPayload({ body: "/skilldex fix" });
    await app.deliver(payload, "delivery-fix");
    await app.deliver(payload, "delivery-fix");

    expect(fake.history("feature")).toHaveLength(before + 1);
    expect(fake.replies(42)).toHaveLength(1);
  });

  test("two deliveries of one comment at once: one commit, the other finds nothing left to fix", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    const before = fake.history("feature").length;
    const payload = commentPayload({ body: "/skilldex fix" });
    await Promise.all([app.deliver(payload, "delivery-a"), app.deliver(payload, "delivery-b")]);

    expect(fake.history("feature")).toHaveLength(before + 1);
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file("feature", path)).toBe(text);
    expect(fake.replies(42)).toHaveLength(1);
  });

  test("someone pushes while the fixes are made: their commit stays, and the fixes land on top of it", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    let pushed = false;
    fake.beforeRefUpdate = (branch) => {
      if (pushed) return;
      pushed = true;
      fake.commit(branch, { "skills/late/SKILL.md": "---\nname: late\ndescription: Pushed meanwhile.\n---\n" }, "a push meanwhile");
    };
    await app.comment({ body: "/skilldex fix" });

    const [head, theirs] = fake.history("feature");
    expect(theirs?.message).toBe("a push meanwhile");
    expect(head?.message).toMatch(/^skilldex: safe fixes in 2 files/);
    expect(fake.file("feature", "skills/late/SKILL.md")).toContain("Pushed meanwhile.");
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file("feature", path)).toBe(text);
  });

  test("a fork's pull request gets a pull request against its base with the fork's commits and the fixes", async () => {
    const pull = fake.openPull(42, { head: "patch-1", fork: true, changes: FIXABLE });
    const { comment } = await app.comment({ body: "/skilldex fix" });

    const [opened] = fake.openedPulls();
    expect(fake.openedPulls()).toHaveLength(1);
    expect(opened?.head.ref).toBe(`skilldex/fix-42-${comment.id}`);
    expect(opened?.base.ref).toBe(fake.defaultBranch);
    expect(opened?.title).toBe("skilldex: safe fixes for #42");
    expect(opened?.body).toContain("holds the commits of #42 and one commit with the fixes on top");
    const [fixCommit] = fake.history(opened?.head.ref as string);
    expect(fixCommit?.parent).toBe(pull.head.sha);
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file(opened?.head.ref as string, path)).toBe(text);
    expect(fake.file(fake.defaultBranch, PLUGIN)).toBe(REPO_FILES[PLUGIN]);
    expect(reply()).toContain(`proposed the safe fixes in 2 files in [#${opened?.number}](${opened?.html_url}) against \`${fake.defaultBranch}\`, because the app cannot push to a fork's branch:`);
  });

  test("a fork's redelivered webhook opens no second pull request and makes no second commit", async () => {
    fake.openPull(42, { head: "patch-1", fork: true, changes: FIXABLE });
    const payload = commentPayload({ body: "/skilldex fix" });
    await app.deliver(payload, "delivery-fork");
    // The answer is lost, as when GitHub timed out before it was posted: the redelivery finds none.
    fake.comments.splice(0);
    await app.deliver(payload, "delivery-fork");

    expect(fake.openedPulls()).toHaveLength(1);
    const branch = fake.openedPulls()[0]?.head.ref as string;
    expect(fake.history(branch).filter((c) => c.message.startsWith("skilldex: safe fixes"))).toHaveLength(1);
    expect(reply()).toContain("the safe fixes are already proposed in");
  });

  test("a protected branch gets a pull request against it with the fixes", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    fake.protectedBranches.add("feature");
    const before = fake.history("feature").length;
    const { comment } = await app.comment({ body: "/skilldex fix" });

    expect(fake.history("feature")).toHaveLength(before);
    const [opened] = fake.openedPulls();
    expect(opened?.head.ref).toBe(`skilldex/fix-42-${comment.id}`);
    expect(opened?.base.ref).toBe("feature");
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file(opened?.head.ref as string, path)).toBe(text);
    expect(reply()).toContain("because this pull request's branch does not accept direct commits");
  });

  test("quoted or in code, it is not a command: nothing is committed or answered", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    const before = fake.history("feature").length;
    await app.comment({ body: "> /skilldex fix\n\n```\n/skilldex fix\n```\n\n    /skilldex fix\n" });

    expect(fake.history("feature")).toHaveLength(before);
    expect(fake.replies(42)).toEqual([]);
  });

  test("on an issue: nothing to commit to, and the answer says so", async () => {
    await app.comment({ body: "/skilldex fix", number: 7, pullRequest: false });
    expect(reply(7)).toContain("fixes are committed to a pull request's branch: comment this on a pull request.");
  });

  test("with /skip in the same comment: both run, in one answer", async () => {
    fake.openPull(42, { head: "feature", changes: FIXABLE });
    await app.comment({ body: "/skip skill:legacy-pdf old\n/skilldex fix" });

    const answer = reply();
    expect(answer).toContain("- `/skip skill:legacy-pdf old` — skipped `skill:legacy-pdf`");
    expect(answer).toContain("- `/skilldex fix` — committed the safe fixes in 2 files");
    expect(fake.file("feature", ".github/skilldex.yml")).toContain("key: skill:legacy-pdf");
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file("feature", path)).toBe(text);
  });
});
