import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { parseSkipFile } from "../../src/skips/index.js";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { postWebhook, waitUntil } from "./app-process.js";
import { startTestServer, type TestServer } from "./app-server.js";
import { newFake, REPO_FILES, TestOctokit } from "./helpers.js";
import { buttonPayload, followCheckRunUpdates, pullRequestPayload, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * The App's own check runs, end to end: signed webhooks over HTTP to the App's server, a loopback
 * GitHub that checks every request against GitHub's OpenAPI description, scans through the API
 * source with the installation's token, and the buttons.
 */

const FILE = ".github/skilldex.yml";
const BROKEN = {
  "agents/no-name.md": "---\ndescription: An agent without a name.\n---\n",
  "plugins/tools/.claude-plugin/plugin.json": '{"name": 5}\n',
};

let fake: FakeGitHub;
let github: { close: () => Promise<void> };
let proxy: Server;
let server: TestServer;
let base: string;
/** Tree listings of these commits are answered late, as a large repository's would be. */
const slowTrees = new Map<string, number>();

beforeAll(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  fake.grant("reader", "read");
  github = await serveOverHttp(fake);
  // In front of the fake: holds the tree listing of a commit a test wants to be slow to scan.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const delay = [...slowTrees].find(([sha]) => req.url?.includes(`/git/trees/${sha}`))?.[1] ?? 0;
      setTimeout(() => {
        void fetch(`${fake.url}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined }).then(async (answer) => {
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      }, delay);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  // The loopback GitHub serves no git: the files come through the API.
  server = await startTestServer(`127.0.0.1:${(proxy.address() as AddressInfo).port}`, {}, { Octokit: TestOctokit });
  base = server.base;
  followCheckRunUpdates(fake);
});

afterEach(() => {
  // Every request the App made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await server?.app.stop();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await github?.close();
});

let delivery = 0;
const post = (event: string, payload: unknown) => postWebhook(base, JSON.stringify(payload), { delivery: `checks-${++delivery}`, event });

/** Posts the webhook and times the check run on `sha` to in progress, then to completed. */
async function timed(event: string, payload: unknown, sha: string): Promise<{ status: number; inProgressMs: number; completedMs: number }> {
  const started = performance.now();
  const { status } = await post(event, payload);
  await waitUntil(() => runsOn(fake, sha).length > 0, 5000, `a check run on ${sha}`);
  const inProgressMs = performance.now() - started;
  await waitUntil(() => runsOn(fake, sha).every((run) => run.status === "completed"), 20_000, `the check run on ${sha} completes`);
  return { status, inProgressMs, completedMs: performance.now() - started };
}

const logLines = () => server.lines();

describe("check runs on pushes and pull requests", () => {
  test("a push with failures gets one check run on the pushed commit, in progress within a second, completed with the counts and compared with `before`", async () => {
    const before = fake.branches.get(fake.defaultBranch) as string;
    const pushed = fake.commit("topic", BROKEN, "break two artifacts");
    const figures = await timed("push", pushPayload(fake, { branch: "topic", before, after: pushed.sha }), pushed.sha);

    expect(figures.status).toBe(202);
    expect(figures.inProgressMs).toBeLessThan(1000);
    const runs = runsOn(fake, pushed.sha);
    expect(runs).toHaveLength(1);
    const [run] = runs as [(typeof runs)[number]];
    expect(run.name).toBe("skilldex");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("6 imported · 0 skipped · 2 failed");
    expect(run.output.summary).toContain(`compared with \`${before.slice(0, 7)}\``);
    expect(run.output.summary).toContain(`### Changes against \`${before.slice(0, 7)}\``);
    expect(run.annotations.map((a) => a.path).sort()).toEqual(["agents/no-name.md", "plugins/tools/.claude-plugin/plugin.json"]);
    expect(run.actions?.map((a) => a.label)).toEqual(["Skip failed", "Re-run: agentskills"]);
    // The delivery id is the trace id of the scan's own lines.
    const pushDelivery = `checks-${delivery}`;
    const finished = () => logLines().find((line) => line.msg === "skilldex scan finished" && line.sha === pushed.sha);
    await waitUntil(() => finished() !== undefined, 5000, "the scan's last line");
    expect(finished()?.traceId).toBe(pushDelivery);
    console.log(`push: in_progress after ${figures.inProgressMs.toFixed(0)} ms, completed after ${figures.completedMs.toFixed(0)} ms`);
  });

  test("a pull request's check run lists the changes against the pull request's base", async () => {
    const pull = fake.openPull(7, { head: "pr-branch", changes: { "skills/fresh/SKILL.md": "---\nname: fresh\ndescription: New here.\n---\n" } });
    const { status } = await timed("pull_request", pullRequestPayload(fake, 7), pull.head.sha);

    expect(status).toBe(202);
    const [run] = runsOn(fake, pull.head.sha);
    expect(run?.conclusion).toBe("success");
    expect(run?.output.summary).toContain(`### Changes against \`${pull.base.sha.slice(0, 7)}\``);
    expect(run?.output.summary).toContain("added `skill:fresh`");
    // Nothing failed: no "Skip failed" button.
    expect(run?.actions?.map((a) => a.label)).toEqual(["Re-run: agentskills"]);
  });

  test("a fork's pull request gets its check run without a Skip failed button", async () => {
    const pull = fake.openPull(8, { head: "fork-main", fork: true, changes: BROKEN });
    await timed("pull_request", pullRequestPayload(fake, 8, "opened"), pull.head.sha);
    const [run] = runsOn(fake, pull.head.sha);
    expect(run?.conclusion).toBe("failure");
    expect(run?.actions?.map((a) => a.label)).toEqual(["Re-run: agentskills"]);
  });

  test("of two quick pushes to one branch, the first check run is cancelled naming the commit that replaced it, and the second completes", async () => {
    const before = fake.branches.get(fake.defaultBranch) as string;
    const first = fake.commit("race", { "agents/no-name.md": BROKEN["agents/no-name.md"] }, "first");
    const second = fake.commit("race", { "skills/extra/SKILL.md": "---\nname: extra\ndescription: Extra.\n---\n" }, "second");
    slowTrees.set(first.sha, 800);
    await post("push", pushPayload(fake, { branch: "race", before, after: first.sha }));
    await waitUntil(() => runsOn(fake, first.sha).length === 1, 5000, "the first check run");
    await post("push", pushPayload(fake, { branch: "race", before: first.sha, after: second.sha }));
    await waitUntil(() => [...runsOn(fake, first.sha), ...runsOn(fake, second.sha)].every((run) => run.status === "completed") && runsOn(fake, second.sha).length === 1, 20_000, "both complete");

    const [older] = runsOn(fake, first.sha);
    const [newer] = runsOn(fake, second.sha);
    expect(older?.conclusion).toBe("cancelled");
    expect(older?.output.title).toBe(`Superseded by ${second.sha.slice(0, 7)}`);
    expect(older?.output.summary).toContain(second.sha);
    expect(newer?.conclusion).toBe("failure");
    expect(newer?.output.title).toBe("8 imported · 0 skipped · 1 failed");
  });

  test("`app-checks: false` in the settings file: no check run at all", async () => {
    const before = fake.branches.get(fake.defaultBranch) as string;
    const pushed = fake.commit("quiet", { [FILE]: "# The Action posts this repository's checks.\napp-checks: false\n", ...BROKEN }, "the Action does it");
    const { status } = await post("push", pushPayload(fake, { branch: "quiet", before, after: pushed.sha }));
    expect(status).toBe(202);
    await waitUntil(() => logLines().some((line) => String(line.msg).includes("app-checks is false") && line.sha === pushed.sha), 5000, "the line saying why");
    expect(runsOn(fake, pushed.sha)).toEqual([]);
  });

  test("/metrics shows the queue's depth, the wait and the scan durations by outcome", async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('skilldex_scan_queue_depth{state="waiting"} 0');
    expect(text).toContain('skilldex_scan_queue_depth{state="running"} 0');
    expect(text).toMatch(/skilldex_scan_wait_seconds_count [1-9]/);
    expect(text).toMatch(/skilldex_scan_duration_seconds_count\{outcome="failure"\} [1-9]/);
    expect(text).toMatch(/skilldex_scan_duration_seconds_count\{outcome="superseded"\} [1-9]/);
    expect(text).toMatch(/skilldex_webhook_duration_seconds_count\{event="push",result="scan"\} [1-9]/);
  });
});

describe("the check run's buttons", () => {
  async function failedRunOn(branch: string): Promise<{ sha: string; run: ReturnType<typeof runsOn>[number] }> {
    const before = fake.branches.get(fake.defaultBranch) as string;
    const pushed = fake.commit(branch, BROKEN, "break two artifacts");
    await timed("push", pushPayload(fake, { branch, before, after: pushed.sha }), pushed.sha);
    return { sha: pushed.sha, run: runsOn(fake, pushed.sha)[0] as ReturnType<typeof runsOn>[number] };
  }

  test("Skip failed by a writer commits a skip entry for each failed artifact, by the clicker, and the new push is checked again", async () => {
    const { sha, run } = await failedRunOn("skip-me");
    const { status } = await post("check_run", buttonPayload(fake, run, "skip:claude-code", "octocat", { branch: "skip-me" }));
    expect(status).toBe(202);
    await waitUntil(() => fake.file("skip-me", FILE) !== null, 10_000, "the skip file is committed");

    const entries = parseSkipFile(fake.file("skip-me", FILE) as string).skip;
    expect(entries.map((e) => [e.key, e.reason, e.by]).sort()).toEqual([
      ["agent:no-name", "skipped from the check run", "octocat"],
      ["plugin:tools", "skipped from the check run", "octocat"],
    ]);
    const commit = fake.history("skip-me")[0];
    expect(commit?.message).toMatch(/^skilldex: skip /);
    await waitUntil(() => run.output.summary.startsWith("> **Skip failed**"), 5000, "the answer on the check run");
    expect(run.output.summary).toContain(`@octocat skipped`);
    expect(run.output.summary).toContain(commit?.sha.slice(0, 7));

    // GitHub sends the App's commit as a push: its check run passes.
    await timed("push", pushPayload(fake, { branch: "skip-me", before: sha, after: commit?.sha as string }), commit?.sha as string);
    const [again] = runsOn(fake, commit?.sha as string);
    expect(again?.conclusion).toBe("success");
    expect(again?.output.title).toBe("6 imported · 2 skipped · 0 failed");
  });

  test("Skip failed by a reader commits nothing and says why on the check run", async () => {
    const { run } = await failedRunOn("read-only");
    const commits = fake.history("read-only").length;
    await post("check_run", buttonPayload(fake, run, "skip:claude-code", "reader", { branch: "read-only" }));
    await waitUntil(() => run.output.summary.startsWith("> **Skip failed**"), 5000, "the answer on the check run");

    expect(run.output.summary).toContain("@reader has read access; skipping needs write access");
    expect(run.output.summary).toContain("nothing was committed");
    expect(fake.history("read-only")).toHaveLength(commits);
    expect(fake.file("read-only", FILE)).toBeNull();
  });

  test("Skip failed on a protected branch opens a pull request with the entries instead", async () => {
    const { run } = await failedRunOn("guarded");
    fake.protectedBranches.add("guarded");
    await post("check_run", buttonPayload(fake, run, "skip:claude-code", "octocat", { branch: "guarded" }));
    await waitUntil(() => run.output.summary.startsWith("> **Skip failed**"), 10_000, "the answer on the check run");

    const [opened] = fake.openedPulls().filter((p) => p.head.ref === `skilldex/skip-failed-${run.id}`);
    expect(opened?.base.ref).toBe(fake.defaultBranch);
    expect(parseSkipFile(fake.file(opened?.head.ref as string, FILE) ?? "").skip.map((e) => e.key).sort()).toEqual(["agent:no-name", "plugin:tools"]);
    expect(run.output.summary).toContain(`pull request #${opened?.number}`);
    expect(fake.file("guarded", FILE)).toBeNull();
  });

  test("Re-run: agentskills scans the same commit again with that profile, in a new check run", async () => {
    const { sha, run } = await failedRunOn("profiles");
    await post("check_run", buttonPayload(fake, run, "profile:agentskills", "octocat", { branch: "profiles" }));
    await waitUntil(() => runsOn(fake, sha).length === 2 && runsOn(fake, sha).every((r) => r.status === "completed"), 20_000, "the second check run completes");

    const rerun = runsOn(fake, sha)[1];
    expect(rerun?.output.summary).toContain("profile `agentskills`");
    expect(rerun?.actions?.map((a) => a.label)).toContain("Re-run: claude-code");
  });
});
