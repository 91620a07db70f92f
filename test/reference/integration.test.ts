import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { git, makeGitRepo, skill } from "../helpers/repo.js";

/** The shell snippets of docs/reference/integration.md, by the name of their `test:` marker. */
function snippets(): Record<string, string> {
  const text = readFileSync("docs/reference/integration.md", "utf8");
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/<!-- test: ([\w-]+) -->\n```sh\n([\s\S]*?)```/g)) out[match[1] as string] = match[2] as string;
  return out;
}

const cli = resolve("lib/src/cli/main.js");
let repo: string;

/** Runs a snippet with `npx skilldex` meaning this build, in the given folder. */
function sh(script: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const bin = join(cwd, ".bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "npx"), `#!/bin/sh\nwhile [ "$1" = "--no-install" ] || [ "$1" = "-y" ]; do shift; done\n[ "$1" = skilldex ] && shift\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(join(bin, "npx"), 0o755);
  const result = spawnSync("sh", ["-c", script], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  repo = makeGitRepo({
    "skills/good/SKILL.md": skill("good"),
    "plugins/p/.claude-plugin/plugin.json": '{"name": "p",}',
    ".claude/agents/helper.md": "---\nname: helper\ndescription: Helps.\n---\nbody\n",
  });
  execFileSync(process.execPath, [cli, "scan", ".", "--format", "json", "--output", "skilldex-report.json", "--fail-on", "never"], { cwd: repo });
});

describe("the integration recipes", () => {
  const docs = snippets();

  it("has every tested snippet the guide promises", () => {
    expect(Object.keys(docs).sort()).toEqual(["by-type", "comment", "failures", "findings", "gate", "pre-commit", "sarif"]);
  });

  it("gates a job on failed artifacts", () => {
    expect(sh(docs.gate!, repo)).toMatchObject({ status: 1, stdout: "1 artifacts failed to import\n" });
  });

  it("lists failures, error findings and the breakdown with jq", () => {
    expect(sh(docs.failures!, repo).stdout).toMatch(/^plugin:p\tjson_parse_error\tThe file is not valid JSON: a trailing comma/);
    expect(sh(docs.findings!, repo).stdout).toMatch(/^plugins\/p\/\.claude-plugin\/plugin\.json:1:\d+ json\/valid /);
    expect(sh(docs["by-type"]!, repo).stdout.trim().split("\n")).toEqual(["plugin: 0 imported, 0 skipped, 1 failed", "skill: 1 imported, 0 skipped, 0 failed", "agent: 1 imported, 0 skipped, 0 failed"]);
  });

  it("renders a sticky comment body with its marker", () => {
    expect(sh(docs.comment!, repo).status).toBe(0);
    const body = readFileSync(join(repo, "skilldex-comment.md"), "utf8");
    expect(body.split("\n").slice(0, 2)).toEqual(["<!-- skilldex -->", "## skilldex: 2 imported · 0 skipped · 1 failed"]);
  });

  it("writes the SARIF file the code scanning workflow uploads", () => {
    expect(sh(docs.sarif!, repo).status).toBe(0);
    const sarif = JSON.parse(readFileSync(join(repo, "skilldex.sarif"), "utf8"));
    const report = JSON.parse(readFileSync(join(repo, "skilldex-report.json"), "utf8"));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(report.artifacts.flatMap((a: { findings: { rule: string }[] }) => a.findings.map((f) => f.rule)));
    const text = readFileSync("docs/reference/integration.md", "utf8");
    const workflow = parseYaml(/<!-- test: sarif -->\n```sh\n[\s\S]*?```\n\n```yaml\n([\s\S]*?)```/.exec(text)![1]!);
    const steps = workflow.jobs.skilldex.steps as { run?: string; uses?: string; with?: Record<string, string> }[];
    expect(workflow.jobs.skilldex.permissions["security-events"]).toBe("write");
    expect(steps.map((s) => s.run).filter(Boolean)).toContain(docs.sarif!.trim());
    expect(steps.at(-1)).toMatchObject({ uses: "github/codeql-action/upload-sarif@v3", with: { sarif_file: "skilldex.sarif" } });
  });

  it("refuses a commit while an artifact fails, and allows it once fixed", () => {
    const hooked = makeGitRepo({ "skills/good/SKILL.md": skill("good") });
    expect(sh(docs["pre-commit"]!, hooked).status).toBe(0);
    const env = `PATH="${join(hooked, ".bin")}:$PATH"`;
    writeFileSync(join(hooked, ".gitignore"), ".bin/\n");
    mkdirSync(join(hooked, ".claude/agents"), { recursive: true });
    writeFileSync(join(hooked, ".claude/agents/bad.md"), "no frontmatter\n");
    git(hooked, "add", "-A");
    const refused = sh(`${env} git -c user.name=t -c user.email=t@t commit -qm broken`, hooked);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain("✗ 1 failed");
    writeFileSync(join(hooked, ".claude/agents/bad.md"), "---\nname: bad\ndescription: Fixed.\n---\nbody\n");
    git(hooked, "add", "-A");
    expect(sh(`${env} git -c user.name=t -c user.email=t@t commit -qm fixed`, hooked).status).toBe(0);
  });
});
