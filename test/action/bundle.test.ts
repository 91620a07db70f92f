import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agent, makeGitRepo, skill } from "../helpers/repo.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { actionEnv, BROKEN_AGENT, BUNDLE, node24Binary, runBundle, commit, headSha, pullRequestPayload, pushPayload, TOKEN, workflowCommands, type ActionFiles } from "./harness.js";

/**
 * The committed bundle, run by Node 24 as the runner runs it (action.yml's `using: node24`):
 * the event payload in a file, inputs as INPUT_* variables, outputs and the job summary read
 * back from their files, and GitHub played by a fake on 127.0.0.1 that checks each request
 * body against GitHub's OpenAPI description.
 */

let node24: string;
let github: FakeGitHub;
const cleanups: ActionFiles[] = [];

beforeAll(async () => {
  // npx fetches Node 24 from the npm registry once; every scenario then runs that binary.
  node24 = await node24Binary();
  github = await startFakeGitHub();
}, 180_000);

afterAll(async () => {
  await github?.close();
  for (const files of cleanups) files.remove();
});

describe("the bundled Action under Node 24", () => {
  it("exists, as action.yml runs it", () => {
    expect(existsSync(BUNDLE)).toBe(true);
    expect(readFileSync(join(import.meta.dirname, "../../action.yml"), "utf8")).toMatch(/using: node24\n\s+main: dist\/index\.js/);
  });

  it("posts the check run of a pull request with its annotations, and writes the summary and the outputs", async () => {
    const broken = Object.fromEntries(Array.from({ length: 55 }, (_, i) => [`agents/broken-${i}.md`, BROKEN_AGENT]));
    const dir = makeGitRepo({ "skills/alpha/SKILL.md": skill("alpha"), "agents/helper.md": agent("helper") });
    const base = headSha(dir);
    const head = commit(dir, broken, "55 broken agents");
    const files = actionEnv({ workspace: dir, apiUrl: github.url, eventName: "pull_request", payload: pullRequestPayload(base, head), sha: "f".repeat(40), inputs: { "report-path": "skilldex.json", "max-annotations": "60" } });
    cleanups.push(files);
    const before = github.requests.length;
    const { code, log } = await runBundle(node24, files);

    expect(code).toBe(1);
    const requests = github.requests.slice(before);
    expect(requests.flatMap((r) => r.problems)).toEqual([]);
    expect(requests.map((r) => r.method)).toEqual(["POST", "PATCH"]);
    expect(requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    const check = github.checkRuns.at(-1)!;
    expect(check).toMatchObject({ name: "skilldex", head_sha: head, status: "completed", conclusion: "failure" });
    expect(check.output.title).toBe("2 imported · 0 skipped · 55 failed");
    // At least one error per broken agent, so more than 50; max-annotations keeps it to one creation and one update.
    const report = JSON.parse(readFileSync(join(dir, "skilldex.json"), "utf8")) as { artifacts: { findings: unknown[] }[]; metrics: { apiCalls: number }; base: string };
    const findings = report.artifacts.reduce((n, a) => n + a.findings.length, 0);
    expect(check.annotations).toHaveLength(Math.min(findings, 60));
    expect(check.annotations.slice(0, 55).every((a) => a.annotation_level === "failure")).toBe(true);
    expect(check.annotations).toContainEqual(expect.objectContaining({ path: "agents/broken-0.md", start_line: 1, end_line: 1, annotation_level: "failure" }));

    const outputs = files.outputs();
    expect(outputs).toEqual({
      discovered: "57",
      success: "2",
      skipped: "0",
      failed: "55",
      conclusion: "failure",
      "check-run-id": String(check.id),
      "report-path": join(dir, "skilldex.json"),
      strategy: "workspace",
      "api-calls": "2",
      "bytes-fetched": "0",
      "pre-scan-hit-rate": expect.stringMatching(/^(0|1|0\.\d{1,4})$/),
      "skip-adoption": "0",
      "duration-ms": expect.stringMatching(/^\d+$/),
      "fix-patch": "",
      fixable: "0",
    });
    expect(report.metrics.apiCalls).toBe(2);
    expect(report.base).toBe(base);
    const summary = files.summary();
    expect(summary).toContain("## skilldex: 2 imported · 0 skipped · 55 failed");
    expect(summary).toContain('pie showData title Artifacts by status\n  "imported" : 2\n  "failed" : 55');
    expect(summary).toContain(`| Check run | [#${check.id}](https://github.com/Codertocat/Hello-World/runs/${check.id}) |`);
    expect(summary).toContain("| API calls | 2 |");
    expect(summary).toMatch(/\| publishing \| [\d.]+ ms \|/);
    expect(workflowCommands(log).find((c) => c.command === "error")?.message).toBe("skilldex: 2 imported · 0 skipped · 55 failed (fail-on: failed)");
    expect(log).not.toContain(TOKEN);
  });

  it("falls back to annotations in the log when the token cannot write checks", async () => {
    const dir = makeGitRepo({ "skills/alpha/SKILL.md": skill("alpha"), "agents/broken.md": BROKEN_AGENT });
    const sha = headSha(dir);
    const files = actionEnv({ workspace: dir, apiUrl: github.url, eventName: "pull_request_target", payload: pullRequestPayload(sha, sha, true), sha });
    cleanups.push(files);
    github.override(() => ({ status: 403, body: { message: "Resource not accessible by integration" } }));
    try {
      const { code, log } = await runBundle(node24, files);

      expect(code).toBe(1);
      const commands = workflowCommands(log);
      expect(commands).toContainEqual(expect.objectContaining({ command: "error", properties: expect.objectContaining({ file: "agents/broken.md", line: "1" }) }));
      expect(commands.filter((c) => c.command === "warning" && !c.properties.file).map((c) => c.message)).toEqual([expect.stringContaining("`checks: write`")]);
      expect(files.outputs()).toMatchObject({ conclusion: "failure", "check-run-id": "" });
      expect(files.summary()).toContain("| Check run | none: GitHub refused");
    } finally {
      github.override(null);
    }
  });

  it("writes the safe fixes as a patch git apply takes, names it in the outputs and shows it in the summary", async () => {
    const dir = makeGitRepo({ "plugins/pdf-tools/.claude-plugin/plugin.json": `{\n  "name": "pdf-tools",\n  "commands": ["cmds/deploy.md"],\n}\n`, "plugins/pdf-tools/cmds/deploy.md": "---\ndescription: Deploy\n---\nDeploy.\n" });
    const sha = headSha(dir);
    const files = actionEnv({ workspace: dir, apiUrl: github.url, eventName: "push", payload: pushPayload(null, sha), sha });
    cleanups.push(files);
    const { code, log } = await runBundle(node24, files);

    expect(code, log).toBe(1);
    const outputs = files.outputs();
    expect(outputs.fixable).toBe("2");
    const patch = outputs["fix-patch"] as string;
    expect(patch).toBe(join(patch.slice(0, patch.lastIndexOf("/")), "skilldex-fix.patch"));
    expect(patch.startsWith(`${files.temp}/skilldex-fix-`)).toBe(true);
    expect(files.summary()).toContain(`### Safe fixes (2 fixes in 1 file)`);
    expect(files.summary()).toContain(`\`\`\`diff\n${readFileSync(patch, "utf8")}\`\`\``);
    execFileSync("git", ["apply", patch], { cwd: dir });
    expect(readFileSync(join(dir, "plugins/pdf-tools/.claude-plugin/plugin.json"), "utf8")).toBe(`{\n  "name": "pdf-tools",\n  "commands": ["./cmds/deploy.md"]\n}\n`);
  });

  // How fast is for `npm run bench`: a shared machine makes a time limit here fail by chance.
  it("starts cold and indexes a 100-artifact repository", async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 60; i++) tree[`skills/skill-${i}/SKILL.md`] = skill(`skill-${i}`);
    for (let i = 0; i < 40; i++) tree[`agents/agent-${i}.md`] = agent(`agent-${i}`);
    const dir = makeGitRepo(tree);
    const sha = headSha(dir);
    const files = actionEnv({ workspace: dir, apiUrl: github.url, eventName: "push", payload: pushPayload(null, sha), sha, inputs: { "report-path": "r.json" } });
    cleanups.push(files);
    const { code, ms, log } = await runBundle(node24, files);

    expect(code, log).toBe(0);
    expect(files.outputs().discovered).toBe("100");
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    console.log(`bundle cold start on 100 artifacts: ${ms.toFixed(0)} ms for the whole process, ${report.timings.total} ms inside run()`);
    expect(report.totals).toEqual({ discovered: 100, success: 100, skipped: 0, failed: 0 });
  });
});
