import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Report } from "../../src/model.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { git, makeGitRepo, makeTree, skill } from "../helpers/repo.js";
import { runCli } from "../../src/cli/run.js";
import { commit, headSha, pushPayload, runInProcess, type ActionFiles } from "./harness.js";

/** A plugin.json with a trailing comma and a component path without `./`: two safe fixes, the first an error. */
const BROKEN_PLUGIN = `{\n  "name": "pdf-tools",\n  "commands": ["cmds/deploy.md"],\n}\n`;
const PLUGIN_FILES = {
  ".claude-plugin/plugin.json": BROKEN_PLUGIN,
  "cmds/deploy.md": "---\ndescription: Deploy\n---\nDeploy.\n",
};

/** Files under a folder of the repository. */
const under = (folder: string, files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([path, text]) => [`${folder}/${path}`, text]));

let github: FakeGitHub;
let cleanups: ActionFiles[] = [];

beforeEach(async () => {
  github = await startFakeGitHub();
  cleanups = [];
});

afterEach(async () => {
  await github.close();
  for (const files of cleanups) files.remove();
});

async function runOn(dir: string, options: { inputs?: Record<string, string>; workspace?: string; env?: Record<string, string> } = {}) {
  const sha = headSha(dir);
  const ran = await runInProcess(github, "push", pushPayload(null, sha), { workspace: options.workspace ?? dir, sha, inputs: options.inputs, env: options.env });
  cleanups.push(ran.files);
  return ran;
}

/** The rule and file of every finding, one string each. */
const findings = (report: Report): string[] => report.artifacts.flatMap((a) => a.findings.map((f) => `${f.rule} ${f.file}`)).sort();

describe("the fix patch of the Action", () => {
  it("writes the safe fixes as a patch that git apply takes at the repository root, after which the findings are gone and none is new", async () => {
    const dir = makeGitRepo({ ...under("plugins/pdf-tools", PLUGIN_FILES), "skills/alpha/SKILL.md": skill("alpha"), "plugins/named/.claude-plugin/plugin.json": `{ "name": "claude-pdf" }\n` });
    const before = await scan({ root: dir, repoName: "Hello-World" });
    expect(findings(before)).toEqual(expect.arrayContaining(["json/valid plugins/pdf-tools/.claude-plugin/plugin.json"]));
    expect(before.artifacts.find((a) => a.key === "plugin:pdf-tools")?.status).toBe("failed");

    const { outputs, summary, files, log } = await runOn(dir);

    const patch = outputs["fix-patch"] as string;
    expect(patch.startsWith(`${files.temp}/`)).toBe(true);
    expect(basename(patch)).toBe("skilldex-fix.patch");
    expect(outputs.fixable).toBe("2");
    expect(log).toContain(`fix patch: 2 safe fixes in 1 file, written to ${patch}`);
    // The Action changes nothing in the checkout.
    expect(git(dir, "status", "--porcelain")).toBe("");

    expect(summary).toContain("### Safe fixes (2 fixes in 1 file)");
    expect(summary).toContain(`The patch is the file the \`fix-patch\` output names, \`${patch}\``);
    expect(summary).toContain("1 finding with a suggested fix is left out");
    expect(summary).toContain(["```diff", "--- a/plugins/pdf-tools/.claude-plugin/plugin.json", "+++ b/plugins/pdf-tools/.claude-plugin/plugin.json", "@@ -1,4 +1,4 @@"].join("\n"));
    expect(summary).toContain(`${readFileSync(patch, "utf8")}\`\`\``);

    execFileSync("git", ["apply", "--check", patch], { cwd: dir });
    execFileSync("git", ["apply", patch], { cwd: dir });
    expect(git(dir, "status", "--porcelain")).toBe(" M plugins/pdf-tools/.claude-plugin/plugin.json\n");
    expect(readFileSync(join(dir, "plugins/pdf-tools/.claude-plugin/plugin.json"), "utf8")).toBe(`{\n  "name": "pdf-tools",\n  "commands": ["./cmds/deploy.md"]\n}\n`);
    const after = await scan({ root: dir, repoName: "Hello-World" });
    expect(after.artifacts.find((a) => a.key === "plugin:pdf-tools")?.status).toBe("success");
    const fixed = findings(before).filter((f) => !f.endsWith("plugins/pdf-tools/.claude-plugin/plugin.json"));
    expect(findings(after)).toEqual(fixed);
  });

  it("names the files from the repository root when path is a sub-folder, so the patch applies at the root", async () => {
    const dir = makeGitRepo({ ...under("tools/plugins/pdf-tools", PLUGIN_FILES), "README.md": "# tools\n" });
    const { outputs, summary } = await runOn(dir, { inputs: { path: "tools" } });

    expect(outputs.fixable).toBe("2");
    expect(summary).toContain("--- a/tools/plugins/pdf-tools/.claude-plugin/plugin.json");
    execFileSync("git", ["apply", outputs["fix-patch"] as string], { cwd: dir });
    const after = await scan({ root: join(dir, "tools") });
    expect(after.artifacts.find((a) => a.key === "plugin:pdf-tools")).toMatchObject({ status: "success", findings: [] });
  });

  it("with only-new, still fixes the findings the baseline holds back, as skilldex fix does", async () => {
    const dir = makeGitRepo(under("plugins/pdf-tools", PLUGIN_FILES));
    expect(await runCli(["baseline", dir], { stdout: () => {}, stderr: () => {}, cwd: dir, env: {} })).toBe(0);
    commit(dir, {}, "baseline");
    const { outputs, result } = await runOn(dir, { inputs: { "only-new": "true" } });

    expect(result.report?.baseline?.baselined).toBe(1);
    expect(outputs.fixable).toBe("2");
  });

  it("sets fixable to 0, names no patch and adds no section when there is nothing to fix", async () => {
    const dir = makeGitRepo({ "skills/alpha/SKILL.md": skill("alpha") });
    const { outputs, summary, files } = await runOn(dir);

    expect(outputs).toMatchObject({ "fix-patch": "", fixable: "0" });
    expect(summary).not.toContain("### Safe fixes");
    expect(existsSync(files.temp) && execFileSync("ls", ["-A", files.temp], { encoding: "utf8" })).toBe("");
  });

  it("without a checkout, leaves fix-patch and fixable empty and says in the summary how many findings a patch would fix", async () => {
    const dir = makeGitRepo({ ...under("plugins/pdf-tools", PLUGIN_FILES) });
    await github.close();
    github = await startFakeGitHub({ "Codertocat/Hello-World": dir });
    const { outputs, summary } = await runOn(dir, { workspace: makeTree({}, "empty-workspace"), env: { PATH: makeTree({}, "empty-bin") } });

    expect(outputs).toMatchObject({ strategy: "api", "fix-patch": "", fixable: "" });
    expect(summary).toContain("### Safe fixes\n\n`skilldex fix` would repair 1 finding. The patch is made from a checkout: add `actions/checkout` before skilldex to get it in the `fix-patch` output.");
    expect(summary).not.toContain("```diff");
  });

  it("is kept by the upload step of the integration recipe, from an output action.yml declares", () => {
    const doc = readFileSync("docs/reference/integration.md", "utf8");
    const section = doc.slice(doc.indexOf("## Keep the safe fixes as a patch")).split("\n## ")[0] as string;
    const steps = parseYaml(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as { id?: string; uses: string; if?: string; with?: Record<string, string> }[];
    const action = parseYaml(readFileSync("action.yml", "utf8")) as { outputs: Record<string, unknown> };
    expect(steps.map((s) => s.uses)).toEqual(["actions/checkout@v5", "skilldex/skilldex@v1", "actions/upload-artifact@v4"]);
    const id = steps[1]!.id as string;
    expect(steps[2]).toMatchObject({ if: `always() && steps.${id}.outputs.fix-patch != ''`, with: { path: `\${{ steps.${id}.outputs.fix-patch }}` } });
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(["fix-patch", "fixable"]));
    // The artifact holds the file by its own name, the one the first test applies with git apply.
    expect(section).toContain("git apply skilldex-fix.patch");
    expect(readFileSync("docs/action.md", "utf8")).toContain("(reference/integration.md#keep-the-safe-fixes-as-a-patch)");
  });
});
