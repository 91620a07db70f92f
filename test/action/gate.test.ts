import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../action/run.js";
import { runCli } from "../../src/cli/run.js";
import { git, makeGitRepo, skill } from "../helpers/repo.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { actionEnv, BROKEN_AGENT, commit, headSha, pushPayload, type ActionFiles } from "./harness.js";

let github: FakeGitHub;
let dir: string;
let runnerFiles: ActionFiles[] = [];

beforeEach(async () => {
  github = await startFakeGitHub();
  // A repository that already has a broken subagent when skilldex is adopted.
  dir = makeGitRepo({ "skills/alpha/SKILL.md": skill("alpha"), "agents/legacy.md": BROKEN_AGENT });
  runnerFiles = [];
});

afterEach(async () => {
  await github.close();
  for (const f of runnerFiles) f.remove();
});

async function push(before: string, inputs: Record<string, string>) {
  const files = actionEnv({ workspace: dir, apiUrl: github.url, eventName: "push", payload: pushPayload(before, headSha(dir)), sha: headSha(dir), inputs });
  runnerFiles.push(files);
  let log = "";
  const result = await run({ env: files.env, write: (text) => void (log += text), fetch: globalThis.fetch, github: { retryAfterBaseValue: 1, paceWrites: false } });
  expect(github.invalid).toEqual([]);
  return { exitCode: result.exitCode, conclusion: github.checkRuns.at(-1)?.conclusion, log, report: result.report };
}

describe("only-new", () => {
  it("fails only on findings the baseline does not hold", async () => {
    await runCli(["baseline"], { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} });
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "baseline");
    const before = headSha(dir);
    commit(dir, { "skills/beta/SKILL.md": skill("beta") }, "add beta");

    expect(await push(before, {})).toMatchObject({ exitCode: 1, conclusion: "failure" });
    const green = await push(before, { "only-new": "true" });
    expect(green).toMatchObject({ exitCode: 0, conclusion: "success" });
    expect(green.report?.baseline).toMatchObject({ baselined: 2, fixed: [] });

    commit(dir, { "agents/fresh.md": BROKEN_AGENT }, "add a broken agent");
    const red = await push(before, { "only-new": "true" });
    expect(red).toMatchObject({ exitCode: 1, conclusion: "failure" });
    expect(red.report?.artifacts.filter((a) => a.status === "failed").map((a) => a.key)).toEqual(["agent:fresh"]);
  });

  it("says so when there is no baseline, and fails on every finding", async () => {
    const before = headSha(dir);
    commit(dir, { "skills/beta/SKILL.md": skill("beta") }, "add beta");
    const { exitCode, log } = await push(before, { "only-new": "true" });
    expect(exitCode).toBe(1);
    expect(log).toContain("::notice::only-new: there is no .github/skilldex-baseline.json (`skilldex baseline` writes it), so every finding is new.");
  });
});

describe("filter: changed", () => {
  it("fails only on artifacts the push changed, and still reports the others", async () => {
    const before = headSha(dir);
    commit(dir, { "skills/beta/SKILL.md": skill("beta") }, "add beta");
    const passed = await push(before, { filter: "changed" });
    expect(passed).toMatchObject({ exitCode: 0, conclusion: "success" });
    expect(passed.report?.totals.failed).toBe(1);

    commit(dir, { "agents/legacy.md": `${BROKEN_AGENT}\nstill broken\n` }, "touch the broken agent");
    expect(await push(before, { filter: "changed" })).toMatchObject({ exitCode: 1, conclusion: "failure" });
  });

  it("refuses a filter it does not know", async () => {
    const { exitCode, log } = await push(headSha(dir), { filter: "diff_context" });
    expect(exitCode).toBe(1);
    expect(log).toContain('the filter input must be one of all, changed, not \\"diff_context\\"');
  });
});
