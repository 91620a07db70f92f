import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, linkSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPORT_OPTIONS } from "../../src/cli/args.js";
import { runCli } from "../../src/cli/run.js";
import { VERSION } from "../../src/version.js";
import { makeGitRepo, makeTree, skill, writeTree } from "../helpers/repo.js";
import { makeServedRepo } from "../source/servers.js";

async function cli(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}, isTTY = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env, isTTY });
  return { code, stdout, stderr };
}

const broken = { "skills/good/SKILL.md": skill("good"), ".claude/agents/bad.md": "---\nname: bad\n---\n" };

describe("skilldex scan", () => {
  it("prints the breakdown, the rollup and each failure at file:line:col with its rule, and exits 1 on a failure", async () => {
    const root = makeTree(broken);
    const { code, stdout, stderr } = await cli(["scan", root]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toContain("✓ 1 imported · ○ 0 skipped · ✗ 1 failed");
    expect(stdout).toContain("  ✗ agent/description-required  1 in 1 artifact · 1 fail on it alone · e.g. .claude/agents/bad.md:1\n");
    expect(stdout).toContain("  ✗ agent:bad (missing_metadata)  .claude/agents/bad.md:1:1  error  The frontmatter has no `description` field");
  });

  it("exits 0 when nothing failed, and with --fail-on never whatever failed", async () => {
    expect((await cli(["scan", makeTree({ "skills/good/SKILL.md": skill("good") })])).code).toBe(0);
    expect((await cli(["scan", makeTree(broken), "--fail-on", "never"])).code).toBe(0);
  });

  it("exits 1 on a warning with --fail-on warning, and says that is why", async () => {
    const root = makeTree({ "skills/a/SKILL.md": "---\nname: b\ndescription: x\n---\n" });
    expect((await cli(["scan", root])).code).toBe(0);
    const strict = await cli(["scan", root, "--fail-on", "warning"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe("skilldex: failing because of warnings (--fail-on warning)\n");
    const markdown = (await cli(["scan", root, "--format", "markdown"])).stdout;
    expect(markdown).toContain("### Warnings and notices (1)");
    expect(markdown).toMatch(/\| `skill:a` \| `skills\/a\/SKILL.md:2:7` \| warning `skill\/name-matches-directory` \|/);
  });

  it("shows which copy a duplicate is", async () => {
    const root = makeTree({ ".claude/commands/deploy.md": "A", "tools/commands/deploy.md": "B", "ops/commands/deploy.md": "C" });
    const { stdout } = await cli(["scan", root]);
    expect(stdout).toContain("○ command:deploy (duplicate) ops/commands/deploy.md: The key command:deploy is held by the copy at .claude/commands/deploy.md; this valid copy at ops/commands/deploy.md is not indexed.");
    expect(stdout).toContain("○ command:deploy (duplicate) tools/commands/deploy.md:");
  });

  it("writes the JSON report to --output", async () => {
    const root = makeTree(broken);
    const out = join(makeTree({}), "reports", "skilldex.json");
    const { code, stdout } = await cli(["scan", root, "--format", "json", "--output", out]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/report written to/);
    const report = JSON.parse(readFileSync(out, "utf8"));
    expect(report.schema).toBe("skilldex/report@1");
    expect(report.totals).toEqual({ discovered: 2, success: 1, skipped: 0, failed: 1 });
    expect(Object.keys(report)).toEqual(["schema", "tool", "root", "profile", "base", "totals", "byType", "artifacts", "metrics", "timings", "warnings"]);
    expect(Object.keys(report.artifacts[0])).toEqual(["key", "type", "name", "path", "files", "status", "change", "reason", "findings"]);
  });

  it("renders Markdown with the breakdown table, and SARIF with one result per finding", async () => {
    const root = makeTree(broken);
    const markdown = (await cli(["scan", root, "--format", "markdown"])).stdout;
    expect(markdown).toContain("| agent | 1 | 0 | 0 | 1 |");
    expect(markdown).toContain("### Failed (1)");
    const sarif = JSON.parse((await cli(["scan", root, "--format", "sarif"])).stdout);
    expect(sarif.runs[0].results).toEqual([
      expect.objectContaining({ ruleId: "agent/description-required", level: "error", locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ artifactLocation: { uri: ".claude/agents/bad.md" } }) })] }),
    ]);
  });

  it("compares with --base", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a") });
    writeTree(root, { "skills/b/SKILL.md": skill("b") });
    const report = JSON.parse((await cli(["scan", root, "--base", "HEAD", "--format", "json"])).stdout);
    expect(report.artifacts.map((a: { key: string; change: string }) => `${a.key}=${a.change}`)).toEqual(["skill:a=unchanged", "skill:b=added"]);
  });

  it.each([
    [["scan", "--format", "xml"], /--format must be one of text, json, markdown, sarif, not "xml"/],
    [["scan", "--profile", "strict"], /--profile must be one of claude-code, agentskills/],
    [["scan", "--bogus"], /^skilldex: error: unknown option --bogus: see `skilldex scan --help`$/m],
    [["scan", "--fromat", "json"], /^skilldex: error: unknown option --fromat: did you mean --format\?$/m],
    [["scan", "--format"], /^skilldex: error: --format needs a value$/m],
    [["scan", "--output", "--quiet"], /--output needs a value \("--quiet" looks like an option; write --output=--quiet if it is the value\)/],
    [["scan", "--external=yes"], /--external takes no value, not "yes"/],
    [["scan", "--max-warnings", "many"], /--max-warnings must be a whole number, not "many"/],
    [["scan", "--max-bytes", "100"], /--max-bytes goes with --format markdown/],
    [["scan", "--statistics", "--format", "json"], /--statistics goes with --format text or markdown/],
    [["scan", "/no/such/folder"], /\/no\/such\/folder does not exist/],
    [["scan", "a", "b"], /scan takes one folder/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["scan", ".", "--base", "nope"], /cannot compare with nope/],
  ])("exits 2 with a one-line message for %j", async (args, message) => {
    const cwd = makeGitRepo({ "x.txt": "x" });
    const { code, stderr } = await cli(args, cwd);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 naming the place when the config file is malformed", async () => {
    const root = makeTree({ ".github/skilldex.yml": "skip:\n  - key: nope\n" });
    const { code, stderr } = await cli(["scan", root]);
    expect(code).toBe(2);
    expect(stderr).toBe('skilldex: error: .github/skilldex.yml:2:5: "nope" is not an artifact key such as skill:legacy-pdf\n');
  });

  it("reads --config from another place, and refuses one that is missing", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), "conf/skilldex.yml": "skip:\n  - key: skill:a\n" });
    const report = JSON.parse((await cli(["scan", root, "--config", join(root, "conf/skilldex.yml"), "--format", "json"])).stdout);
    expect(report.totals.skipped).toBe(1);
    const missing = await cli(["scan", root, "--config", "nowhere.yml"], root);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/config file nowhere.yml does not exist/) });
  });

  it("prints the help to standard error and exits 2 when called with nothing to do", async () => {
    const { code, stdout, stderr } = await cli([]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain("skilldex scan [path]");
  });

  it("refuses --ref beside a folder that would be scanned as it is on disk", async () => {
    const { code, stderr } = await cli(["scan", ".", "--repo", "acme/x", "--ref", "v2"], makeTree({ "a.txt": "a" }));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--ref picks what to fetch, but a folder is scanned as it is on disk/);
  });

  it("prints its version and help", async () => {
    expect((await cli(["--version"])).stdout).toBe(`${VERSION}\n`);
    expect((await cli(["--help"])).stdout).toContain("skilldex scan [path]");
  });
});

describe("skilldex skip and unskip", () => {
  it("skips by key with a reason, and the next scan reports it skipped", async () => {
    const root = makeTree({ "skills/legacy-pdf/SKILL.md": skill("legacy-pdf") });
    const { code, stdout } = await cli(["skip", "skill:legacy-pdf", "--reason", "Using alternative implementation", "--by", "octocat", "--ref", "#42"], root);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "skipped skill:legacy-pdf\n" });
    const file = readFileSync(join(root, ".github/skilldex.yml"), "utf8");
    expect(file).toMatch(/reason: Using alternative implementation\n {4}by: octocat\n {4}at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n {4}ref: "#42"\n$/);
    const report = JSON.parse((await cli(["scan", root, "--format", "json"])).stdout);
    expect(report.artifacts[0]).toMatchObject({ status: "skipped", reason: { code: "in_skip_list", by: "octocat", ref: "#42" } });
  });

  it("skips every artifact below a path, says so for one already skipped, and unskips", async () => {
    const root = makeTree({ "plugins/old/commands/a.md": "A", "plugins/old/commands/b.md": "B" });
    expect((await cli(["skip", "plugins/old/commands/a.md", "--path", root])).stdout).toBe("skipped command:old/a\n");
    expect((await cli(["skip", "plugins/old", "--path", root])).stdout).toBe("skipped plugin:old\nskipped command:old/b\ncommand:old/a was already skipped\n");
    expect((await cli(["unskip", "command:old/a", "--path", root])).stdout).toBe("unskipped command:old/a\n");
    expect((await cli(["unskip", "command:old/a", "--path", root])).stdout).toBe("command:old/a was already not skipped\n");
  });

  it("takes a bare name that several copies of one key share, and asks for the key when names of different types collide", async () => {
    const root = makeTree({ ".claude/commands/deploy.md": "A", "tools/commands/deploy.md": "B", ".claude/agents/deploy.md": "---\nname: deploy\ndescription: d\n---\n" });
    const ambiguous = await cli(["skip", "deploy"], root);
    expect(ambiguous).toMatchObject({ code: 2, stderr: 'skilldex: error: "deploy" names more than one artifact: give the key, command:deploy or agent:deploy\n' });
    const other = makeTree({ ".claude/commands/deploy.md": "A", "tools/commands/deploy.md": "B" });
    expect((await cli(["skip", "deploy"], other)).stdout).toBe("skipped command:deploy\n");
  });

  it("skips the newer component types by key and by path, and the scan honours it", async () => {
    const root = makeTree({
      "p/.claude-plugin/plugin.json": JSON.stringify({ name: "p" }),
      "p/workflows/release.js": "export const meta = { name: \"release\" };\n",
      "p/output-styles/terse.md": "---\nname: terse\ndescription: Short\n---\n",
    });
    expect((await cli(["skip", "workflow:p/release", "--reason", "Rewriting it"], root)).stdout).toBe("skipped workflow:p/release\n");
    expect((await cli(["skip", "p/output-styles/terse.md"], root)).stdout).toBe("skipped output-style:p/terse\n");
    const report = JSON.parse((await cli(["scan", root, "--format", "json"])).stdout);
    expect(report.artifacts.filter((a: { status: string }) => a.status === "skipped").map((a: { key: string }) => a.key)).toEqual(["output-style:p/terse", "workflow:p/release"]);
  });

  it("unskips a key whose artifact is gone", async () => {
    const root = makeTree({ ".github/skilldex.yml": "skip:\n  - key: skill:gone\n" });
    expect(await cli(["unskip", "skill:gone"], root)).toMatchObject({ code: 0, stdout: "unskipped skill:gone\n" });
  });

  it("takes a bare name for the one key whose last segment it is, and lists the candidates when several keys end in it", async () => {
    const root = makeTree({
      "database-design/.claude-plugin/plugin.json": JSON.stringify({ name: "database-design" }),
      "database-design/skills/postgresql/SKILL.md": skill("postgresql"),
      "database-design/skills/mysql/SKILL.md": skill("mysql"),
      "ops/.claude-plugin/plugin.json": JSON.stringify({ name: "ops" }),
      "ops/skills/mysql/SKILL.md": skill("mysql"),
    });
    expect(await cli(["skip", "postgresql", "--by", "octocat"], root)).toMatchObject({ code: 0, stdout: "skipped skill:database-design/postgresql\n" });
    expect(await cli(["skip", "mysql"], root)).toMatchObject({ code: 2, stderr: 'skilldex: error: "mysql" names more than one artifact: give the key, skill:database-design/mysql or skill:ops/mysql\n' });
    expect(await cli(["unskip", "postgresql"], root)).toMatchObject({ code: 0, stdout: "unskipped skill:database-design/postgresql\n" });
  });

  it("takes a path to a SKILL.md file for its skill", async () => {
    const root = makeTree({ "skills/legacy-pdf/SKILL.md": skill("legacy-pdf"), "skills/legacy-pdf/notes.md": "notes" });
    expect((await cli(["skip", "skills/legacy-pdf/SKILL.md"], root)).stdout).toBe("skipped skill:legacy-pdf\n");
  });

  it("records git's user as who asked: user.name, else the login part of user.email", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a"), "skills/b/SKILL.md": skill("b") });
    execFileSync("git", ["config", "user.name", "Octo Cat"], { cwd: root });
    await cli(["skip", "skill:a"], root);
    // An empty user.name in the repository hides the global one, as it does for git itself.
    execFileSync("git", ["config", "user.name", ""], { cwd: root });
    execFileSync("git", ["config", "user.email", "octo.cat@example.com"], { cwd: root });
    await cli(["skip", "skill:b"], root);
    const entries = JSON.parse((await cli(["scan", root, "--format", "json"])).stdout).artifacts.map((a: { key: string; reason: { by: string } }) => [a.key, a.reason.by]);
    expect(entries).toEqual([
      ["skill:a", "Octo Cat"],
      ["skill:b", "octo.cat"],
    ]);
  });

  it("unskips a skipped key written in another case, as the App does", async () => {
    const root = makeTree({ ".github/skilldex.yml": "skip:\n  - key: skill:Legacy-PDF\n" });
    expect(await cli(["unskip", "Skill:legacy-pdf"], root)).toMatchObject({ code: 0, stdout: "unskipped skill:Legacy-PDF\n" });
    expect(readFileSync(join(root, ".github/skilldex.yml"), "utf8")).not.toContain("Legacy-PDF");
  });

  it("refuses to skip when the settings file turns skip preferences off, and writes nothing", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": "skip-preferences: false\n" });
    expect(await cli(["skip", "skill:a"], root)).toMatchObject({
      code: 2,
      stderr: "skilldex: error: skip preferences are disabled in this repository (skip-preferences: false in .github/skilldex.yml); set it to true to skip artifacts\n",
    });
    expect(readFileSync(join(root, ".github/skilldex.yml"), "utf8")).toBe("skip-preferences: false\n");
  });

  it("refuses an unknown key with the closest matches and writes nothing", async () => {
    const root = makeTree({ "skills/legacy-pdf/SKILL.md": skill("legacy-pdf") });
    const { code, stderr } = await cli(["skip", "skill:legacy-pfd"], root);
    expect(code).toBe(2);
    expect(stderr).toBe('skilldex: error: no artifact matches "skill:legacy-pfd"; did you mean skill:legacy-pdf?\n');
    expect(() => readFileSync(join(root, ".github/skilldex.yml"))).toThrow();
  });
});

describe("the built command", () => {
  it("runs with node after the build, as package.json's bin names it", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.version).toBe(VERSION);
    const root = makeTree(broken);
    const result = spawnSync(process.execPath, [pkg.bin.skilldex, "scan", root, "--format", "json"], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).totals.failed).toBe(1);
    // A reader that stops early does not change the exit code.
    const piped = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${pkg.bin.skilldex}" scan "${root}" --format json | head -c 10 > /dev/null`], { encoding: "utf8" });
    expect(piped.status).toBe(1);
    expect(piped.stderr).toBe("");
    const bad = spawnSync(process.execPath, [pkg.bin.skilldex, "scan", "--format"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("scans the example repository with `npm run scan`", () => {
    const out = execFileSync("npm", ["run", "--silent", "scan", "--", "--fail-on", "never"], { encoding: "utf8" });
    expect(out).toContain("✓ 12 imported · ○ 1 skipped · ✗ 2 failed");
  });
});

describe("skilldex logs", () => {
  it("writes JSON-line logs to standard error when SKILLDEX_LOG is set, keeping standard output the report's", async () => {
    let stdout = "";
    let stderr = "";
    const root = makeTree({ "skills/a/SKILL.md": skill("a") });
    const code = await runCli(["scan", root, "--format", "json"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: { SKILLDEX_LOG: "info", SKILLDEX_TRACE_ID: "trace-1" } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).totals.success).toBe(1);
    const lines = stderr.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.message)).toEqual([expect.stringMatching(/^reading files from the workspace: /), "scan started", "scan finished"]);
    expect(lines.every((l) => l.traceId === "trace-1")).toBe(true);
  });
});

describe("skilldex skip and unskip against a hostile repository", () => {
  const linkError = /^skilldex: error: \.github\/skilldex\.yml leads through a symlink to a place outside the repository; skilldex does not write through it\n$/;

  it("never writes through a skip file that is a symlink out of the repository, whether its target exists or not", async () => {
    const outside = makeTree({ "victim.yml": "# not yours\n" });
    for (const target of ["victim.yml", "created.yml"]) {
      const root = makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": { symlink: join(outside, target) } });
      const { code, stdout, stderr } = await cli(["skip", "skill:a"], root);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toMatch(target === "victim.yml" ? linkError : /^skilldex: error: \.github\/skilldex\.yml is a symlink to a file that does not exist; skilldex does not write through it\n$/);
    }
    expect(readFileSync(join(outside, "victim.yml"), "utf8")).toBe("# not yours\n");
    expect(existsSync(join(outside, "created.yml"))).toBe(false);
  });

  it("never writes through a .github folder that links out of the repository", async () => {
    const outside = makeTree({ "skilldex.yml": "skip:\n  - key: skill:a\n" });
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), "skills/b/SKILL.md": skill("b"), ".github": { symlink: outside } });
    expect(await cli(["skip", "skill:b"], root)).toMatchObject({ code: 2, stderr: expect.stringMatching(linkError) });
    expect(await cli(["unskip", "skill:a"], root)).toMatchObject({ code: 2, stderr: expect.stringMatching(linkError) });
    const empty = makeTree({});
    const rootToEmpty = makeTree({ "skills/a/SKILL.md": skill("a"), ".github": { symlink: empty } });
    expect(await cli(["skip", "skill:a"], rootToEmpty)).toMatchObject({ code: 2, stderr: expect.stringMatching(linkError) });
    expect(readFileSync(join(outside, "skilldex.yml"), "utf8")).toBe("skip:\n  - key: skill:a\n");
    expect(readdirSync(empty)).toEqual([]);
  });

  it("writes through a link that stays inside the repository, to its target, keeping the link", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), "conf/skilldex.yml": "# shared\n", ".github/skilldex.yml": { symlink: "../conf/skilldex.yml" } });
    expect(await cli(["skip", "skill:a", "--by", "octocat"], root)).toMatchObject({ code: 0, stdout: "skipped skill:a\n" });
    expect(lstatSync(join(root, ".github/skilldex.yml")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, "conf/skilldex.yml"), "utf8")).toMatch(/^# shared\nskip:\n {2}- key: skill:a\n {4}by: octocat\n/);
  });

  it("replaces the file in one rename, leaving no temporary file behind", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": "# before\n" });
    // A second name for the old file: an in-place write would change it too, a rename does not.
    linkSync(join(root, ".github/skilldex.yml"), join(root, "old.yml"));
    expect((await cli(["skip", "skill:a"], root)).code).toBe(0);
    expect(readFileSync(join(root, "old.yml"), "utf8")).toBe("# before\n");
    expect(readFileSync(join(root, ".github/skilldex.yml"), "utf8")).toMatch(/^# before\nskip:\n/);
    expect(readdirSync(join(root, ".github"))).toEqual(["skilldex.yml"]);
  });

  it("refuses, naming the path, a folder whose name the skip file cannot hold, and writes nothing", async () => {
    const root = makeTree({ "skills/good/SKILL.md": skill("good"), "skills/bad\nname/SKILL.md": skill("bad"), "skills/bell\u0007/SKILL.md": skill("bell") });
    const { code, stdout, stderr } = await cli(["skip", "skills/"], root);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe('skilldex: error: "skills/bad\\nname" (and 1 more) cannot be recorded in .github/skilldex.yml: a key cannot hold a control character (such as a line break) or start or end with a space. Rename the folder or file, or list it under "exclude" by hand, then skip again\n');
    expect(existsSync(join(root, ".github"))).toBe(false);
    expect((await cli(["skip", "skills/good"], root)).stdout).toBe("skipped skill:good\n");
  });

  it("skips every artifact of a big folder in one write", async () => {
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`legacy/commands/c${i}.md`, `Command ${i}.`]));
    const root = makeTree(files);
    const { code, stdout } = await cli(["skip", "legacy/", "--reason", "old"], root);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(300);
    const report = JSON.parse((await cli(["scan", root, "--format", "json"])).stdout);
    expect(report.totals).toMatchObject({ discovered: 300, skipped: 300 });
  });

  it("prints an error quoting a hostile key on one line, its control characters escaped", async () => {
    const root = makeTree({ ".github/skilldex.yml": 'skip:\n  - key: "skill:a\\u2028b\\u001b[2J"\n' });
    const { code, stderr } = await cli(["scan", root]);
    expect(code).toBe(2);
    expect(stderr).toBe('skilldex: error: .github/skilldex.yml:2:5: "skill:a\\u2028b\\\\u001b[2J" is not an artifact key such as skill:legacy-pdf\n');
  });

  it("refuses a settings file over 4 MiB with one line, in scan and skip alike", async () => {
    const big = `# ${"x".repeat(4 * 1024 * 1024)}\n`;
    const root = makeTree({ "skills/a/SKILL.md": skill("a"), ".github/skilldex.yml": big });
    for (const args of [["scan", root], ["skip", "skill:a", "--path", root]]) {
      const { code, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stderr).toBe("skilldex: error: config file .github/skilldex.yml is 4,194,307 bytes, over the 4 MiB a settings file may hold\n");
    }
  });

  it("never writes a settings file it would refuse to read: a skip that would pass the cap is refused and writes nothing", async () => {
    const reason = "r".repeat(2000);
    const tree = Object.fromEntries(Array.from({ length: 2200 }, (_, i) => [`legacy/skills/s-${i}/SKILL.md`, skill(`s-${i}`)]));
    const root = makeTree(tree);
    const { code, stderr } = await cli(["skip", "legacy", "--reason", reason, "--path", root]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^skilldex: error: \.github\/skilldex\.yml would be [\d,]+ bytes, over the 4 MiB a settings file may hold; nothing was written/);
    expect(existsSync(join(root, ".github/skilldex.yml"))).toBe(false);
  });
});

describe("skilldex scan's report options", () => {
  it("are each named in the help", async () => {
    const help = (await cli(["--help"])).stdout;
    for (const option of Object.keys(REPORT_OPTIONS)) expect(help, option).toContain(`--${option}`);
  });

  const warned = { "skills/a/SKILL.md": "---\nname: a\ndescription: x\nversion: 1\nauthor: me\n---\n", ".claude/agents/bad.md": "---\nname: bad\n---\n" };

  it("prints only the rollup with --statistics", async () => {
    const { code, stdout } = await cli(["scan", makeTree(warned), "--statistics"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^By rule \(2 rules, 3 findings/m);
    expect(stdout).toMatch(/^ {2}⚠ skill\/allowed-fields +2 in 1 artifact · e\.g\. skills\/a\/SKILL\.md:4$/m);
    expect(stdout).not.toContain("Failed (1):");
    expect(stdout).not.toContain("Warnings and notices");
  });

  it("reports errors only with --quiet, and exits 1 past --max-warnings", async () => {
    const root = makeTree(warned);
    const quiet = await cli(["scan", root, "--quiet"]);
    expect(quiet.stdout).toContain("agent/description-required");
    expect(quiet.stdout).not.toContain("skill/allowed-fields");
    const good = makeTree({ "skills/a/SKILL.md": warned["skills/a/SKILL.md"] });
    expect((await cli(["scan", good, "--max-warnings", "2"])).code).toBe(0);
    expect(await cli(["scan", good, "--max-warnings", "1"])).toMatchObject({ code: 1, stderr: "skilldex: 2 warnings, more than --max-warnings 1 allows\n" });
  });

  it("picks the format from the --output file's extension when --format is not given", async () => {
    const root = makeTree(warned);
    const out = makeTree({});
    for (const name of ["r.json", "r.sarif", "r.md"]) await cli(["scan", root, "--output", join(out, name), "--fail-on", "never"]);
    expect(JSON.parse(readFileSync(join(out, "r.json"), "utf8")).schema).toBe("skilldex/report@1");
    expect(JSON.parse(readFileSync(join(out, "r.sarif"), "utf8")).version).toBe("2.1.0");
    expect(readFileSync(join(out, "r.md"), "utf8")).toMatch(/^## skilldex: 1 imported · 0 skipped · 1 failed\n/);
    await cli(["scan", root, "--output", join(out, "r2.json"), "--format", "markdown", "--fail-on", "never"]);
    expect(readFileSync(join(out, "r2.json"), "utf8")).toMatch(/^## skilldex/);
  });

  it("cuts Markdown to --max-bytes", async () => {
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`.claude/agents/bad${i}.md`, `---\nname: bad${i}\n---\n`]));
    const root = makeTree(files);
    const whole = (await cli(["scan", root, "--format", "markdown"])).stdout;
    const cut = (await cli(["scan", root, "--format", "markdown", "--max-bytes", "8000"])).stdout;
    expect(Buffer.byteLength(whole)).toBeGreaterThan(8000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8000);
    expect(cut).toContain("### By rule");
    expect(cut).toMatch(/_Failed \(300\)(, [^_]+)? left out to stay within 8000 bytes/);
  });

  it("colours a terminal, but not with NO_COLOR, not into a file, and always with FORCE_COLOR", async () => {
    const root = makeTree(warned);
    const colour = "\u001b[31m✗\u001b[39m";
    expect((await cli(["scan", root], root, {}, true)).stdout).toContain(colour);
    expect((await cli(["scan", root], root, {}, false)).stdout).not.toContain("\u001b");
    expect((await cli(["scan", root], root, { NO_COLOR: "1" }, true)).stdout).not.toContain("\u001b");
    expect((await cli(["scan", root], root, { FORCE_COLOR: "1" }, false)).stdout).toContain(colour);
    expect((await cli(["scan", root], root, { FORCE_COLOR: "0" }, true)).stdout).not.toContain("\u001b");
    expect((await cli(["scan", root], root, { TERM: "dumb" }, true)).stdout).not.toContain("\u001b");
    await cli(["scan", root, "--output", join(root, "report.txt")], root, {}, true);
    expect(readFileSync(join(root, "report.txt"), "utf8")).not.toContain("\u001b");
  });

  it("lists the artifacts added and updated against --base in text and Markdown", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a"), "skills/b/SKILL.md": skill("b") });
    writeTree(root, { "skills/c/SKILL.md": skill("c"), "skills/b/SKILL.md": skill("b", "Does b things better. Use when asked about b.") });
    const text = (await cli(["scan", root, "--base", "HEAD"])).stdout;
    expect(text).toContain("Against HEAD: 1 added, 1 updated, 1 unchanged.\n  + added skill:c\n  ~ updated skill:b\n");
    const markdown = (await cli(["scan", root, "--base", "HEAD", "--format", "markdown"])).stdout;
    expect(markdown).toContain("- added `skill:c`\n- updated `skill:b`");
  });

  it("says what went wrong when npm kept the options of `npm run scan --format json` for itself", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a") });
    // npm 11 reads --format as its own --format-package-lock and passes on only "json".
    const format = await cli(["scan", "json"], root, { npm_lifecycle_event: "scan" });
    expect(format).toMatchObject({ code: 2, stderr: 'skilldex: error: npm took --format as its own option and passed on only the value "json": options for skilldex go after `--`, as in `npm run scan -- --format json`\n' });
    const output = await cli(["scan", "x.md"], root, { npm_lifecycle_event: "scan", npm_config_output: "true" });
    expect(output.stderr).toMatch(/npm took --output as its own option and passed on only the value "x\.md": .*`npm run scan -- --output x\.md`/);
    const flag = await cli(["scan"], root, { npm_lifecycle_event: "scan", npm_config_statistics: "true" });
    expect(flag.stderr).toBe("skilldex: error: npm took --statistics as its own option: options for skilldex go after `--`, as in `npm run scan -- --statistics`\n");
    // With `--`, npm passes the options on and leaves nothing behind.
    expect((await cli(["scan", ".", "--format", "json"], root, { npm_lifecycle_event: "scan" })).code).toBe(0);
  });
});

describe("skilldex scan --repo", () => {
  it("names the repository and the commit it read as the report's root, not the current folder", async () => {
    const base = makeTree({}, "served");
    const served = makeServedRepo({ "skills/a/SKILL.md": skill("a") }, "library.git", join(base, "acme"));
    const cwd = makeTree({});
    const env = { GITHUB_SERVER_URL: `file://${base}` };
    const report = JSON.parse((await cli(["scan", "--repo", "acme/library", "--source", "clone", "--format", "json"], cwd, env)).stdout);
    expect(report.root).toBe(`acme/library@${served.commit}`);
    const text = (await cli(["scan", "--repo", "acme/library", "--source", "clone"], cwd, env)).stdout;
    expect(text.split("\n")[0]).toContain(`· 1 artifact in acme/library@${served.commit} ·`);
  });
});

describe("skilldex skip --help", () => {
  it("prints the help and changes nothing", async () => {
    const root = makeTree({ "skills/a/SKILL.md": skill("a") });
    for (const command of ["skip", "unskip"]) {
      const { code, stdout } = await cli([command, "--help"], root);
      expect(code).toBe(0);
      expect(stdout).toContain("skip and unskip options:");
    }
    expect(existsSync(join(root, ".github"))).toBe(false);
  });
});
