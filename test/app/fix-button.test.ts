import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { postWebhook, waitUntil } from "./app-process.js";
import { startTestServer, type TestServer } from "./app-server.js";
import { newFake, REPO_FILES, TestOctokit } from "./helpers.js";
import { buttonPayload, followCheckRunUpdates, pullRequestPayload, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * The "Fix safe" button of the App's check runs, end to end: signed webhooks over HTTP to the
 * App's server, a loopback GitHub checking every request against GitHub's OpenAPI description,
 * the push's check run with its buttons, the click, and the commit it makes.
 */

const PLUGIN = "plugins/tools/.claude-plugin/plugin.json";
const SKILL = "skills/pdf/SKILL.md";
const FIXABLE: Record<string, string> = {
  [PLUGIN]: `{\n  "name": "tools",\n  "commands": ["commands/deploy.md"]\n}\n`,
  [SKILL]: `---\nname: pdf\ndescription: Use when: the user asks for PDF work\n---\n\nBody: kept.\n`,
};
const FIXED: Record<string, string> = {
  [PLUGIN]: `{\n  "name": "tools",\n  "commands": ["./commands/deploy.md"]\n}\n`,
  [SKILL]: `---\nname: pdf\ndescription: "Use when: the user asks for PDF work"\n---\n\nBody: kept.\n`,
};

let fake: FakeGitHub;
let github: { close: () => Promise<void> };
let server: TestServer;
let base: string;

beforeAll(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  fake.grant("reader", "read");
  github = await serveOverHttp(fake);
  // The loopback GitHub serves no git: the files come through the API.
  server = await startTestServer(new URL(fake.url).host, { LOG_LEVEL: "warn" }, { Octokit: TestOctokit });
  base = server.base;
  followCheckRunUpdates(fake);
});

afterEach(() => {
  // Every request the App made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await server?.app.stop();
  await github?.close();
});

let delivery = 0;
const post = (event: string, payload: unknown, id = `fix-${++delivery}`) => postWebhook(base, JSON.stringify(payload), { delivery: id, event });

/** Pushes `changes` to a new branch and waits for the check run on the pushed commit to complete. */
async function checkedPush(branch: string, changes: Record<string, string>): Promise<{ sha: string; run: ReturnType<typeof runsOn>[number] }> {
  const before = fake.branches.get(fake.defaultBranch) as string;
  const pushed = fake.commit(branch, changes, "a push");
  return { sha: pushed.sha, run: await completedRun("push", pushPayload(fake, { branch, before, after: pushed.sha }), pushed.sha) };
}

async function completedRun(event: string, payload: unknown, sha: string): Promise<ReturnType<typeof runsOn>[number]> {
  await post(event, payload);
  await waitUntil(() => runsOn(fake, sha).length > 0 && runsOn(fake, sha).every((run) => run.status === "completed"), 20_000, `the check run on ${sha} completes`);
  return runsOn(fake, sha).at(-1) as ReturnType<typeof runsOn>[number];
}

const labels = (run: ReturnType<typeof runsOn>[number]) => run.actions?.map((a) => a.label);
const noted = (run: ReturnType<typeof runsOn>[number]) => waitUntil(() => run.output.summary.startsWith("> **Fix safe**"), 10_000, "the answer on the check run");

describe("the Fix safe button", () => {
  test("is shown where a safe fix applies; pressed by a writer, it commits the fixes to the branch in one commit, and that push passes without it", async () => {
    const { sha, run } = await checkedPush("tidy", FIXABLE);
    // GitHub shows three buttons at most: the fix first, the skip of what a fix cannot repair, the other profile.
    expect(labels(run)).toEqual(["Fix safe", "Skip failed", "Re-run: agentskills"]);

    await post("check_run", buttonPayload(fake, run, "fix:claude-code", "octocat", { branch: "tidy" }));
    await noted(run);
    const [head, parent] = fake.history("tidy");
    expect(parent?.sha).toBe(sha);
    expect(head?.message).toMatch(/^skilldex: safe fixes in 2 files \(requested by @octocat from the check run on [0-9a-f]{7}\)/);
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file("tidy", path)).toBe(text);
    for (const [path, text] of parent?.files ?? []) if (!(path in FIXED)) expect(head?.files.get(path)).toBe(text);
    expect(run.output.summary).toContain(`> **Fix safe**: @octocat: committed the safe fixes in 2 files as [\`${head?.sha.slice(0, 7)}\`]`);
    expect(run.output.summary).toContain(`> - \`${PLUGIN}\` — plugin/component-paths`);

    // GitHub sends the App's commit as a push: nothing is left to fix there.
    const again = await completedRun("push", pushPayload(fake, { branch: "tidy", before: sha, after: head?.sha as string }), head?.sha as string);
    expect(again.conclusion).toBe("success");
    expect(labels(again)).toEqual(["Re-run: agentskills"]);
  });

  test("pressed by a reader, commits nothing and says why on the check run", async () => {
    const { run } = await checkedPush("tidy-read", FIXABLE);
    const commits = fake.history("tidy-read").length;
    await post("check_run", buttonPayload(fake, run, "fix:claude-code", "reader", { branch: "tidy-read" }));
    await noted(run);

    expect(run.output.summary).toContain("@reader has read access; fixing needs write access (as `/skilldex fix` does), so nothing was committed.");
    expect(fake.history("tidy-read")).toHaveLength(commits);
    expect(fake.file("tidy-read", PLUGIN)).toBe(FIXABLE[PLUGIN]);
  });

  test("a redelivered click makes no second commit", async () => {
    const { run } = await checkedPush("tidy-twice", FIXABLE);
    const commits = fake.history("tidy-twice").length;
    const payload = buttonPayload(fake, run, "fix:claude-code", "octocat", { branch: "tidy-twice" });
    await post("check_run", payload, "fix-click-once");
    await waitUntil(() => fake.history("tidy-twice").length === commits + 1, 10_000, "the fix commit");
    // The first click's answer comes after its commit: wait for it, so it cannot be read as the second's.
    await noted(run);
    run.output.summary = "";
    await post("check_run", payload, "fix-click-once");
    await noted(run);

    expect(fake.history("tidy-twice")).toHaveLength(commits + 1);
    expect(run.output.summary).toContain("nothing to fix: no safe fix applies at");
  });

  test("on a protected branch, opens a pull request against it with the fixes", async () => {
    const { run } = await checkedPush("tidy-guarded", FIXABLE);
    fake.protectedBranches.add("tidy-guarded");
    await post("check_run", buttonPayload(fake, run, "fix:claude-code", "octocat", { branch: "tidy-guarded" }));
    await noted(run);

    const [opened] = fake.openedPulls().filter((p) => p.head.ref === `skilldex/fix-safe-${run.id}`);
    expect(opened?.base.ref).toBe("tidy-guarded");
    for (const [path, text] of Object.entries(FIXED)) expect(fake.file(opened?.head.ref as string, path)).toBe(text);
    expect(fake.file("tidy-guarded", PLUGIN)).toBe(FIXABLE[PLUGIN]);
    expect(run.output.summary).toContain(`in [#${opened?.number}]`);
  });

  test("is not shown on a fork's pull request, which the App cannot push to", async () => {
    const pull = fake.openPull(8, { head: "fork-main", fork: true, changes: FIXABLE });
    const run = await completedRun("pull_request", pullRequestPayload(fake, 8, "opened"), pull.head.sha);
    expect(labels(run)).toEqual(["Re-run: agentskills"]);
  });

  test("is not shown when no safe fix applies", async () => {
    const { run } = await checkedPush("clean", { "skills/clean/SKILL.md": "---\nname: clean\ndescription: Fine.\n---\n" });
    expect(labels(run)).toEqual(["Re-run: agentskills"]);
  });
});
