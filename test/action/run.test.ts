import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunDeps } from "../../action/run.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { git, makeGitRepo, makeTree, skill, writeTree } from "../helpers/repo.js";
import { BROKEN_AGENT, commit, headSha, pullRequestPayload, pushPayload, runInProcess, TOKEN, type ActionFiles } from "./harness.js";

const SKIP_FILE = `skip:
  - key: skill:legacy
    reason: Replaced by alpha
    by: octocat
    at: 2026-11-20T10:00:00Z
    ref: "#42"
`;

const BASE_FILES = {
  "skills/alpha/SKILL.md": skill("alpha"),
  "skills/beta/SKILL.md": skill("beta"),
  "skills/legacy/SKILL.md": skill("legacy"),
  "skills/quiet/SKILL.md": "---\nname: quiet\n---\n\n# quiet\n",
  "agents/broken.md": BROKEN_AGENT,
  ".github/skilldex.yml": SKIP_FILE,
};

let github: FakeGitHub;
let dir: string;
let runnerFiles: ActionFiles[] = [];

beforeEach(async () => {
  github = await startFakeGitHub();
  dir = makeGitRepo(BASE_FILES);
  runnerFiles = [];
});

afterEach(async () => {
  await github.close();
  for (const f of runnerFiles) f.remove();
});

/** Runs the Action in-process as the runner would, and gathers everything it left behind. */
async function runAction(
  eventName: string,
  payload: Record<string, unknown>,
  options: { sha?: string; inputs?: Record<string, string>; deps?: RunDeps; workspace?: string; env?: Record<string, string> } = {},
) {
  const { files, ...left } = await runInProcess(github, eventName, payload, { ...options, workspace: options.workspace ?? dir, sha: options.sha ?? headSha(dir) });
  runnerFiles.push(files);
  return left;
}

describe("on push", () => {
  it("says the checkout was read because it holds the files when source is auto, and that it was asked for when source is workspace", async () => {
    const before = headSha(dir);
    const after = commit(dir, { "skills/gamma/SKILL.md": skill("gamma") }, "add gamma");
    const auto = await runAction("push", pushPayload(before, after));
    expect(auto.log).toMatch(/reading files from the workspace: \S+ holds the files/);
    expect(auto.log).not.toContain("reading files from the workspace: asked for");
    const asked = await runAction("push", pushPayload(before, after), { inputs: { source: "workspace" } });
    expect(asked.log).toContain("reading files from the workspace: asked for");
  });

  it("puts the check run on the pushed commit and compares it with the commit before", async () => {
    const before = headSha(dir);
    const after = commit(dir, { "skills/gamma/SKILL.md": skill("gamma"), "skills/beta/SKILL.md": skill("beta", "Does beta, better.") }, "add gamma, update beta");
    const { result, outputs, summary } = await runAction("push", pushPayload(before, after));

    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const check = github.checkRuns[0]!;
    expect(check).toMatchObject({ name: "skilldex", head_sha: after, status: "completed", conclusion: "failure" });
    expect(check.output.title).toBe("4 imported · 1 skipped · 1 failed");
    expect(check.output.summary).toContain(`compared with \`${before.slice(0, 7)}\``);
    expect(check.output.summary).toContain("1 added, 1 updated, 2 unchanged.");
    expect(check.output.summary).toContain("- added `skill:gamma`");
    expect(check.output.summary).toContain("- updated `skill:beta`");
    expect(check.output.summary).toMatch(/`skill:legacy` \| in_skip_list \| Skipped by preference of @octocat on 2026-11-20 in #42: Replaced by alpha\./);
    expect(check.output.summary).toContain("| `agent:broken` |");
    expect(check.output.text).toMatch(/## Failed \(1\)[\s\S]*## Skipped \(1\)[\s\S]*## Imported \(4\)/);

    expect(outputs).toEqual({
      discovered: "6",
      success: "4",
      skipped: "1",
      failed: "1",
      conclusion: "failure",
      "check-run-id": String(check.id),
      "report-path": "",
      strategy: "workspace",
      "api-calls": "1",
      "bytes-fetched": "0",
      // 2 of 6 unchanged, 1 of 6 skipped by preference.
      "pre-scan-hit-rate": "0.3333",
      "skip-adoption": "0.1667",
      "duration-ms": expect.stringMatching(/^\d+$/),
      "fix-patch": "",
      fixable: "0",
    });
    expect(result.exitCode).toBe(1);
    expect(summary).toContain("## skilldex: 4 imported · 1 skipped · 1 failed");
    expect(summary).toContain("| API calls | 1 |");
    expect(summary).toContain("| Pre-scan hit rate | 33.3% unchanged against the base |");
    expect(summary).toContain("| Skip adoption | 16.7% skipped by preference |");
  });

  it("logs JSON lines beside the readable ones, each with the workflow run's trace id", async () => {
    const { log } = await runAction("push", pushPayload(null, headSha(dir)));

    const lines = log.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.message)).toEqual(expect.arrayContaining(["scan started", "scan finished", "action finished"]));
    expect(lines.every((l) => l.traceId === "9876-2")).toBe(true);
    expect(lines.find((l) => l.message === "action finished")).toMatchObject({ conclusion: "failure", apiCalls: 1, checkRunId: github.checkRuns[0]?.id });
    expect(log).toContain("✓ 3 imported · ○ 1 skipped · ✗ 1 failed");
  });

  it("has no base and says nothing about it on a new branch", async () => {
    const after = headSha(dir);
    const { commands, summary } = await runAction("push", pushPayload(null, after));

    expect(github.checkRuns[0]?.head_sha).toBe(after);
    expect(github.checkRuns[0]?.output.summary).toContain("no base to compare with");
    expect(commands.filter((c) => c.command === "notice")).toEqual([]);
    expect(summary).not.toContain("### Changes");
  });

  it("falls back to no base with a notice when the commit before is not in the checkout", async () => {
    const after = headSha(dir);
    const unknown = "1234567890abcdef1234567890abcdef12345678";
    const { commands } = await runAction("push", pushPayload(unknown, after));

    expect(github.checkRuns[0]?.output.summary).toContain("no base to compare with");
    const notices = commands.filter((c) => c.command === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toContain("1234567 is not in the checkout");
    expect(notices[0]?.message).toContain("fetch-depth: 0");
  });

  it("does nothing when the push deleted the branch", async () => {
    const { result, outputs } = await runAction("push", { ...pushPayload(null, "0".repeat(40)), before: headSha(dir), after: "0".repeat(40), deleted: true });

    expect(github.requests).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(outputs.discovered).toBe("0");
  });
});

describe("on pull_request", () => {
  it("puts the check run on the head commit, not the merge commit in GITHUB_SHA, and compares with the base", async () => {
    const base = headSha(dir);
    git(dir, "checkout", "-q", "-b", "feature");
    const head = commit(dir, { "skills/gamma/SKILL.md": skill("gamma") }, "add gamma");
    git(dir, "checkout", "-q", "main");
    git(dir, "merge", "-q", "--no-ff", "-m", "merge", "feature");
    const merge = headSha(dir);
    const { summary } = await runAction("pull_request", pullRequestPayload(base, head), { sha: merge });

    expect(github.invalid).toEqual([]);
    expect(github.checkRuns[0]?.head_sha).toBe(head);
    expect(github.checkRuns[0]?.output.summary).toContain("1 added, 0 updated, 3 unchanged.");
    expect(summary).toContain(`compared with \`${base}\``);
  });

  it("on a fork's pull request, whose token cannot write checks, annotates the log and still fails by fail-on", async () => {
    const base = headSha(dir);
    const head = commit(dir, { "skills/gamma/SKILL.md": skill("gamma") }, "add gamma");
    github.override((request) => (request.method === "POST" ? { status: 403, body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/checks/runs#create-a-check-run" } } : undefined));
    const { result, commands, outputs, summary, log } = await runAction("pull_request", pullRequestPayload(base, head, true));

    expect(github.requests).toHaveLength(1);
    const warnings = commands.filter((c) => c.command === "warning" && !c.properties.file);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("Resource not accessible by integration");
    expect(warnings[0]?.message).toContain("`checks: write`");
    // Every finding becomes an annotation in the log, at its place and with its level.
    const findings = result.report!.artifacts.flatMap((a) => a.findings);
    const annotations = commands.filter((c) => c.properties.file);
    expect(annotations).toHaveLength(findings.length);
    expect(annotations).toContainEqual(expect.objectContaining({ command: "error", properties: expect.objectContaining({ file: "agents/broken.md", line: "1", col: "1" }) }));
    expect(annotations.filter((c) => c.command === "error")).toHaveLength(findings.filter((f) => f.severity === "error").length);
    expect(commands.find((c) => c.command === "error" && !c.properties.file)?.message).toContain("1 failed");
    expect(result.exitCode).toBe(1);
    expect(outputs["check-run-id"]).toBe("");
    expect(outputs.conclusion).toBe("failure");
    expect(summary).toContain("| Check run | none: GitHub refused to let skilldex create the check run");
    expect(log).not.toContain(TOKEN);
  });

  it("passes the step on a fork's pull request when fail-on never trips", async () => {
    const base = headSha(dir);
    const head = headSha(dir);
    github.override(() => ({ status: 403, body: { message: "Resource not accessible by integration" } }));
    const { result, commands } = await runAction("pull_request", pullRequestPayload(base, head, true), { inputs: { "fail-on": "never" } });

    expect(result.exitCode).toBe(0);
    expect(commands.filter((c) => c.command === "error" && !c.properties.file)).toEqual([]);
  });
});

describe("annotations", () => {
  function manyBroken(n: number): Record<string, string> {
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`agents/broken-${String(i).padStart(3, "0")}.md`, BROKEN_AGENT]));
  }

  it("sends the first 50 annotations with the check run and the rest in updates of it", async () => {
    const sha = commit(dir, manyBroken(120), "many broken agents");
    const { result, summary } = await runAction("workflow_dispatch", {}, { sha });

    expect(github.invalid).toEqual([]);
    const findings = result.report!.artifacts.flatMap((a) => a.findings).length;
    expect(findings).toBeGreaterThan(120);
    const requests = Math.ceil(findings / 50);
    const calls = github.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(["POST /repos/Codertocat/Hello-World/check-runs", ...Array(requests - 1).fill(`PATCH /repos/Codertocat/Hello-World/check-runs/${github.checkRuns[0]?.id}`)]);
    const sizes = github.requests.map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes.slice(0, -1).every((n) => n === 50)).toBe(true);
    expect(github.checkRuns[0]?.annotations).toHaveLength(findings);
    expect(github.checkRuns[0]?.conclusion).toBe("failure");
    expect(result.report?.metrics.apiCalls).toBe(requests);
    expect(summary).toContain(`| API calls | ${requests} |`);
  });

  it("stops at max-annotations and says how many were left out", async () => {
    const sha = commit(dir, manyBroken(60), "many broken agents");
    const { result, summary } = await runAction("workflow_dispatch", {}, { sha, inputs: { "max-annotations": "10" } });

    const findings = result.report!.artifacts.flatMap((a) => a.findings).length;
    expect(github.requests).toHaveLength(1);
    expect(github.checkRuns[0]?.annotations).toHaveLength(10);
    expect(github.checkRuns[0]?.output.summary).toContain(`10 of ${findings} findings are annotated (max-annotations is 10); the other ${findings - 10} are listed`);
    expect(summary).toContain(`| Annotations | 10 of ${findings} |`);
  });

  it("names a sub-folder's own marketplace after the folder, as the App does from the repository root", async () => {
    writeTree(dir, { "lib/.claude-plugin/marketplace.json": JSON.stringify({ name: "m", owner: { name: "o" }, plugins: [] }) });
    const sha = commit(dir, {}, "a marketplace in a sub-folder");
    const { result } = await runAction("workflow_dispatch", {}, { sha, inputs: { path: "lib" } });
    expect(result.report!.artifacts.map((a) => a.key)).toContain("marketplace:lib");
  });

  it("puts errors before warnings and points at paths from the repository root when path is a sub-folder", async () => {
    writeTree(dir, { "lib/skills/zeta/SKILL.md": "---\nname: zeta\n---\n", "lib/agents/worse.md": BROKEN_AGENT });
    const sha = commit(dir, {}, "a sub-folder");
    await runAction("workflow_dispatch", {}, { sha, inputs: { path: "lib" } });

    expect(github.invalid).toEqual([]);
    const annotations = github.checkRuns[0]?.annotations ?? [];
    const places = annotations.map((a) => [a.annotation_level, a.path]);
    expect(places[0]).toEqual(["failure", "lib/agents/worse.md"]);
    expect(places).toContainEqual(["warning", "lib/skills/zeta/SKILL.md"]);
    expect(places.every(([, path]) => String(path).startsWith("lib/"))).toBe(true);
    const levels = annotations.map((a) => a.annotation_level);
    expect(levels.lastIndexOf("failure")).toBeLessThan(levels.indexOf("warning"));
  });
});

describe("what does not fit", () => {
  it("cuts the summary and text to 65,535 characters with a note of what was left out", async () => {
    const long = "x".repeat(200);
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`agents/a-very-long-agent-name-${long}-${i}.md`] = BROKEN_AGENT;
    const sha = commit(dir, files, "250 broken agents with long names");
    await runAction("workflow_dispatch", {}, { sha });

    expect(github.invalid).toEqual([]);
    const output = github.checkRuns[0]!.output;
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.text?.length).toBeLessThanOrEqual(65_535);
    expect(output.summary).toMatch(/_… \d+ more failed artifacts left out to stay within GitHub's size limit; the full list is in the job summary of the workflow run\._/);
    expect(output.text).toMatch(/_… \d+ more failed artifacts left out/);
    // The breakdown is never what gives way.
    expect(output.summary).toContain("| **total** | **255** |");
  });
});

describe("inputs and failures", () => {
  it("writes the JSON report where report-path says and names it in the outputs", async () => {
    const { outputs } = await runAction("workflow_dispatch", {}, { inputs: { "report-path": "out/skilldex.json" } });

    expect(outputs["report-path"]).toBe(join(dir, "out/skilldex.json"));
    const report = JSON.parse(readFileSync(join(dir, "out/skilldex.json"), "utf8"));
    expect(report.schema).toBe("skilldex/report@1");
    expect(report.totals).toEqual({ discovered: 5, success: 3, skipped: 1, failed: 1 });
    expect(report.metrics.apiCalls).toBe(1);
    expect(report.timings.publishing).toBeGreaterThanOrEqual(0);
  });

  it("lets the config file's profile win over the default input, and an explicit input win over nothing", async () => {
    const sha = commit(dir, { ".github/skilldex.yml": `profile: agentskills\n${SKIP_FILE}` }, "agentskills profile");
    await runAction("workflow_dispatch", {}, { sha });
    expect(github.checkRuns[0]?.output.summary).toContain("profile `agentskills`");

    const plain = commit(dir, { ".github/skilldex.yml": SKIP_FILE }, "default profile");
    await runAction("workflow_dispatch", {}, { sha: plain, inputs: { profile: "agentskills" } });
    expect(github.checkRuns[1]?.output.summary).toContain("profile `agentskills`");
  });

  it("retries when GitHub fails for a moment and counts every request", async () => {
    let failures = 1;
    github.override(() => (failures-- > 0 ? { status: 502, body: { message: "Bad Gateway" } } : undefined));
    const { result, summary } = await runAction("workflow_dispatch", {});

    expect(github.checkRuns).toHaveLength(1);
    expect(result.report?.metrics.apiCalls).toBe(2);
    expect(summary).toContain("| API calls | 2 |");
  });

  it("waits out a rate limit and tries again", async () => {
    let limited = 1;
    github.override(() =>
      limited-- > 0
        ? { status: 403, body: { message: "API rate limit exceeded" }, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) } }
        : undefined,
    );
    const { result } = await runAction("workflow_dispatch", {}, { deps: { github: { retryAfterBaseValue: 1, paceWrites: true } } });

    expect(github.checkRuns).toHaveLength(1);
    expect(result.report?.metrics.apiCalls).toBe(2);
  });

  it("falls back to log annotations when GitHub rejects the check run, saying what GitHub said", async () => {
    github.override(() => ({ status: 422, body: { message: "Validation Failed", errors: [{ resource: "CheckRun", code: "invalid", field: "head_sha" }] } }));
    const { result, commands, summary } = await runAction("workflow_dispatch", {});

    const warnings = commands.filter((c) => c.command === "warning" && !c.properties.file);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^GitHub rejected the request to create the check run in Codertocat\/Hello-World \(422: Validation Failed/)]);
    expect(commands.some((c) => c.command === "error" && c.properties.file === "agents/broken.md")).toBe(true);
    expect(summary).toContain("| Check run | none: GitHub rejected");
    expect(result.exitCode).toBe(1);
  });

  it("without a token, says so once and annotates the log", async () => {
    const { commands, outputs } = await runAction("workflow_dispatch", {}, { inputs: { "github-token": "" } });

    expect(github.requests).toEqual([]);
    expect(commands.filter((c) => c.command === "warning" && !c.properties.file).map((c) => c.message)).toEqual([expect.stringContaining("no github-token")]);
    expect(commands.some((c) => c.command === "error" && c.properties.file === "agents/broken.md")).toBe(true);
    expect(outputs["check-run-id"]).toBe("");
  });

  it("reports a missing checkout as a clear error, in the log and a failed check run, when source is workspace", async () => {
    const { result, commands, outputs } = await runAction("push", pushPayload(null, "a".repeat(40)), { inputs: { path: "not-there", source: "workspace" } });

    expect(result.exitCode).toBe(1);
    const error = commands.find((c) => c.command === "error")?.message;
    expect(error).toMatch(/No checkout: not-there does not exist.*actions\/checkout.*source input to auto/);
    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toEqual([
      expect.objectContaining({ name: "skilldex", head_sha: "a".repeat(40), status: "completed", conclusion: "failure", annotations: [] }),
    ]);
    expect(`skilldex: ${github.checkRuns[0]?.output.summary}`).toBe(error);
    expect(outputs).toEqual({
      discovered: "",
      success: "",
      skipped: "",
      failed: "",
      conclusion: "failure",
      "check-run-id": String(github.checkRuns[0]?.id),
      "report-path": "",
      strategy: "",
      "api-calls": "",
      "bytes-fetched": "",
      "pre-scan-hit-rate": "",
      "skip-adoption": "",
      "duration-ms": "",
      "fix-patch": "",
      fixable: "",
    });
  });

  it("still sets the outputs of a run that stopped when the token cannot create a check run", async () => {
    github.override(() => ({ status: 403, body: { message: "Resource not accessible by integration" } }));
    const { result, commands, outputs } = await runAction("workflow_dispatch", {}, { inputs: { "max-annotations": "many" } });

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: null });
    expect(commands.filter((c) => c.command === "error").map((c) => c.message)).toEqual(['skilldex: the max-annotations input must be a whole number of 0 or more, not "many"']);
    expect(commands.filter((c) => c.command === "warning")).toEqual([]);
    expect(outputs).toMatchObject({ conclusion: "failure", "check-run-id": "", discovered: "", failed: "" });
  });

  it("leaves the pre-scan hit rate empty without a base", async () => {
    const { outputs, summary } = await runAction("workflow_dispatch", {});

    expect(outputs["pre-scan-hit-rate"]).toBe("");
    expect(outputs.strategy).toBe("workspace");
    expect(summary).toContain("| Pre-scan hit rate | no base |");
  });

  it("refuses an input it cannot use, naming it, and says so in a failed check run", async () => {
    const { result, commands, outputs } = await runAction("workflow_dispatch", {}, { inputs: { "fail-on": "sometimes", "check-name": "skills" } });

    expect(result.exitCode).toBe(1);
    expect(commands.find((c) => c.command === "error")?.message).toBe('skilldex: the fail-on input must be one of failed, warning, never, not "sometimes"');
    expect(github.checkRuns).toEqual([expect.objectContaining({ name: "skills", head_sha: headSha(dir), conclusion: "failure" })]);
    expect(github.checkRuns[0]?.output).toMatchObject({ title: "skilldex stopped before indexing", summary: 'the fail-on input must be one of failed, warning, never, not "sometimes"' });
    expect(outputs).toMatchObject({ conclusion: "failure", "check-run-id": String(github.checkRuns[0]?.id), discovered: "", success: "", skipped: "", failed: "" });
  });

  it("posts the failed check run of a huge error message cut to GitHub's limit, the whole message in the log", async () => {
    const value = "x".repeat(70_000);
    const { result, commands } = await runAction("workflow_dispatch", {}, { inputs: { "fail-on": value } });

    expect(result.exitCode).toBe(1);
    expect(commands.find((c) => c.command === "error")?.message).toBe(`skilldex: the fail-on input must be one of failed, warning, never, not "${value}"`);
    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const { summary } = github.checkRuns[0]!.output;
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary).toMatch(/^the fail-on input must be one of failed, warning, never, not "x+\n\n_… cut to stay within GitHub's size limit; the whole message is in the log of the workflow run\._$/);
    expect(result.checkRunId).toBe(github.checkRuns[0]!.id);
  });

  it("points at the place in a malformed skip file, in the log and in a failed check run", async () => {
    const sha = commit(dir, { ".github/skilldex.yml": "skip:\n  - key: not a key\n" }, "bad skip file");
    const { result, commands, outputs } = await runAction("workflow_dispatch", {}, { sha });

    expect(result.exitCode).toBe(1);
    expect(commands.find((c) => c.command === "error")?.properties).toMatchObject({ file: ".github/skilldex.yml", line: "2" });
    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const check = github.checkRuns[0]!;
    expect(check).toMatchObject({ head_sha: sha, conclusion: "failure" });
    expect(check.output.summary).toContain("At `.github/skilldex.yml`, line 2");
    expect(check.annotations).toEqual([expect.objectContaining({ path: ".github/skilldex.yml", start_line: 2, end_line: 2, annotation_level: "failure", title: "skilldex config" })]);
    expect(outputs).toMatchObject({ conclusion: "failure", "check-run-id": String(check.id), discovered: "" });
  });

  it("gives a neutral check run when there is nothing to index", async () => {
    dir = makeGitRepo({ "README.md": "# nothing here\n" });
    const { result } = await runAction("workflow_dispatch", {});

    expect(result.exitCode).toBe(0);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: "neutral", output: { title: "No artifacts found" } });
  });

  it("never lets the token into the log, the summary or the outputs, even when GitHub echoes it", async () => {
    github.override(() => ({ status: 401, body: { message: `Bad credentials for ${TOKEN}` } }));
    const { log, summary, outputs } = await runAction("workflow_dispatch", {});

    expect(log).toContain("Bad credentials");
    expect(log).not.toContain(TOKEN);
    expect(summary).not.toContain(TOKEN);
    expect(JSON.stringify(outputs)).not.toContain(TOKEN);
  });
});

describe("without a checkout", () => {
  /** A runner with no git on PATH: the Action must read the files through the API. */
  const noGit = (): Record<string, string> => ({ PATH: makeTree({}, "empty-bin") });

  it("fetches the files through the GitHub API at the pushed commit and compares with the commit before", async () => {
    const before = headSha(dir);
    const after = commit(dir, { "skills/gamma/SKILL.md": skill("gamma"), "skills/beta/SKILL.md": skill("beta", "Does beta, better.") }, "add gamma, update beta");
    await github.close();
    github = await startFakeGitHub({ "Codertocat/Hello-World": dir });
    const { result, outputs, summary, commands, log } = await runAction("push", pushPayload(before, after), { workspace: makeTree({}, "empty-workspace"), env: noGit() });

    expect(github.invalid).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const check = github.checkRuns[0]!;
    expect(check).toMatchObject({ head_sha: after, conclusion: "failure" });
    expect(check.output.title).toBe("4 imported · 1 skipped · 1 failed");
    expect(check.output.summary).toContain("1 added, 1 updated, 2 unchanged.");
    expect(check.annotations.map((a) => a.path)).toContain("agents/broken.md");
    // The tree at the head and at the base, the blobs, then the check run: every call through one token.
    const calls = github.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toContain(`GET /repos/Codertocat/Hello-World/git/trees/${after}`);
    expect(calls).toContain(`GET /repos/Codertocat/Hello-World/git/trees/${before}`);
    expect(calls).toContain("POST /graphql");
    expect(calls.at(-1)).toBe("POST /repos/Codertocat/Hello-World/check-runs");
    expect(github.requests.every((r) => r.authorization?.endsWith(TOKEN))).toBe(true);
    expect(outputs).toMatchObject({ strategy: "api", "api-calls": String(github.requests.length), "pre-scan-hit-rate": "0.3333", discovered: "6" });
    expect(Number(outputs["bytes-fetched"])).toBeGreaterThan(0);
    expect(result.report?.metrics.apiCalls).toBe(github.requests.length);
    expect(summary).toContain("| Strategy | api |");
    expect(summary).toContain(`| API calls | ${github.requests.length} |`);
    expect(commands.filter((c) => c.command === "warning" && !c.properties.file).map((c) => c.message)).toEqual([expect.stringContaining("git was not found on PATH")]);
    expect(log).toContain("No checkout: . is empty: skilldex fetches the files it reads from GitHub instead");
    expect(log).not.toContain(TOKEN);
  });

  it("reads skip preferences from the repository root's config when path is a sub-folder, as with a checkout", async () => {
    const sha = commit(
      dir,
      {
        "tools/skills/legacy/SKILL.md": skill("legacy"),
        "tools/skills/fresh/SKILL.md": skill("fresh"),
        // The folder's own file is not the one the App writes to; the root's wins, as it does with a checkout.
        "tools/.github/skilldex.yml": "skip: []\n",
      },
      "a sub-folder with a skill the root config skips",
    );
    await github.close();
    github = await startFakeGitHub({ "Codertocat/Hello-World": dir });
    const { result, outputs } = await runAction("workflow_dispatch", {}, { sha, workspace: makeTree({}, "empty-workspace"), env: noGit(), inputs: { path: "tools" } });

    const legacy = result.report?.artifacts.find((a) => a.key === "skill:legacy");
    expect(legacy).toMatchObject({ status: "skipped", reason: { code: "in_skip_list" } });
    expect(result.report?.artifacts.find((a) => a.key === "skill:fresh")?.status).toBe("success");
    expect(github.checkRuns[0]?.output.summary).toMatch(/`skill:legacy` \| in_skip_list \| Skipped by preference of @octocat/);
    expect(github.requests.map((r) => `${r.method} ${decodeURIComponent(r.path)}`)).toContain("GET /repos/Codertocat/Hello-World/contents/.github/skilldex.yml");
    expect(outputs).toMatchObject({ strategy: "api", discovered: "2", skipped: "1", "api-calls": String(github.requests.length) });
  });

  it("points at the root config's line when it is malformed and path is a sub-folder", async () => {
    const sha = commit(dir, { "tools/skills/fresh/SKILL.md": skill("fresh"), ".github/skilldex.yml": "skip:\n  - key: not a key\n" }, "bad root config");
    await github.close();
    github = await startFakeGitHub({ "Codertocat/Hello-World": dir });
    const { result, commands } = await runAction("workflow_dispatch", {}, { sha, workspace: makeTree({}, "empty-workspace"), env: noGit(), inputs: { path: "tools" } });

    expect(result.exitCode).toBe(1);
    expect(commands.find((c) => c.command === "error")?.properties).toMatchObject({ file: ".github/skilldex.yml", line: "2" });
    expect(github.checkRuns[0]?.annotations).toEqual([expect.objectContaining({ path: ".github/skilldex.yml", start_line: 2 })]);
  });

  it("fetches the files with source: api even when there is a checkout", async () => {
    await github.close();
    github = await startFakeGitHub({ "Codertocat/Hello-World": dir });
    const { outputs } = await runAction("workflow_dispatch", {}, { inputs: { source: "api" } });

    expect(outputs).toMatchObject({ strategy: "api", discovered: "5", failed: "1" });
    expect(Number(outputs["api-calls"])).toBeGreaterThan(1);
  });
});

describe("external plugins", () => {
  it("annotates no file of a plugin from another repository, and says so in the check run and the job summary", async () => {
    const marketplace = { name: "acme", owner: { name: "acme" }, plugins: [{ name: "formatter", source: { source: "github", repo: "acme/formatter" } }] };
    const sha = commit(dir, { ".claude-plugin/marketplace.json": JSON.stringify(marketplace, null, 2) }, "a marketplace with an external plugin");
    const formatter = makeGitRepo({ ".claude-plugin/plugin.json": JSON.stringify({ name: "formatter" }), "agents/worse.md": BROKEN_AGENT });
    await github.close();
    github = await startFakeGitHub({ "acme/formatter": formatter });
    const { result, summary } = await runAction("workflow_dispatch", {}, { sha, inputs: { "index-external": "true" }, env: { PATH: makeTree({}, "empty-bin") } });

    const external = result.report!.artifacts.flatMap((a) => a.findings).filter((f) => f.file.includes("@external/"));
    expect(external.length).toBeGreaterThan(0);
    const check = github.checkRuns[0]!;
    expect(check.annotations.map((a) => String(a.path)).filter((p) => p.includes("@external"))).toEqual([]);
    expect(check.annotations.map((a) => a.path)).toContain("agents/broken.md");
    expect(check.output.summary).toContain("### External plugins");
    expect(check.output.summary).toMatch(new RegExp(`${external.length} findings? in the files of external plugins (is|are) not annotated`));
    expect(check.output.text).toContain("@external/formatter/agents/worse.md");
    expect(summary).toContain(`in external plugins, not annotated) |`);
  });
});
