/**
 * `node lib/scripts/check-release.js [--skip-tests]`: checks a release before it is tagged.
 * The version in package.json, src/version.ts, CHANGELOG.md and the tag to be made must agree;
 * action.yml must run the committed bundle on node24; the bundle must be fresh; tests must pass.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

export interface ReleaseFiles {
  packageJson: string;
  versionTs: string;
  changelog: string;
  actionYml: string | null;
  distExists: boolean;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/** The checks that need only the files, so that tests can drive them. */
export function checkReleaseFiles(files: ReleaseFiles): Check[] {
  const checks: Check[] = [];
  const version = (JSON.parse(files.packageJson) as { version?: string }).version ?? "";
  checks.push({ name: "package.json version is semantic", ok: SEMVER.test(version), detail: version || "no version" });
  const constant = /VERSION = "([^"]+)"/.exec(files.versionTs)?.[1] ?? "";
  checks.push({ name: "src/version.ts agrees", ok: constant === version, detail: `src/version.ts says ${constant || "nothing"}, package.json ${version}` });
  const section = new RegExp(`^## \\[?${version.replace(/\./g, "\\.")}\\]?( - \\d{4}-\\d{2}-\\d{2})?\\s*$`, "m").exec(files.changelog);
  checks.push({ name: "CHANGELOG.md has a section for the version", ok: section !== null, detail: section ? section[0].trim() : `no "## [${version}] - YYYY-MM-DD" heading` });
  const unreleasedBody = /^## \[?Unreleased\]?\s*$([\s\S]*?)(?=^## )/m.exec(files.changelog)?.[1]?.trim() ?? "";
  checks.push({ name: "nothing is left under Unreleased", ok: unreleasedBody === "", detail: unreleasedBody ? "move the Unreleased entries into the release's section" : "empty" });
  if (files.actionYml === null) {
    checks.push({ name: "action.yml exists", ok: false, detail: "missing" });
  } else {
    const action = parseYaml(files.actionYml) as { runs?: { using?: string; main?: string } };
    checks.push({ name: "action.yml runs on node24", ok: action.runs?.using === "node24", detail: `runs.using: ${action.runs?.using}` });
    checks.push({ name: "action.yml runs the committed bundle", ok: action.runs?.main === "dist/index.js" && files.distExists, detail: `runs.main: ${action.runs?.main}${files.distExists ? "" : " (missing)"}` });
  }
  return checks;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

async function main(): Promise<void> {
  const root = process.cwd();
  const read = (path: string): string | null => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : null);
  const checks = checkReleaseFiles({
    packageJson: read("package.json") ?? "{}",
    versionTs: read("src/version.ts") ?? "",
    changelog: read("CHANGELOG.md") ?? "",
    actionYml: read("action.yml"),
    distExists: existsSync(join(root, "dist/index.js")),
  });
  const version = (JSON.parse(read("package.json") ?? "{}") as { version: string }).version;
  const tag = run("git", ["tag", "--list", `v${version}`]);
  checks.push({ name: `tag v${version} is not taken`, ok: tag.ok && tag.output.trim() === "", detail: tag.output.trim() || "free" });
  const clean = run("git", ["status", "--porcelain"]);
  checks.push({ name: "the work tree is clean", ok: clean.ok && clean.output.trim() === "", detail: clean.output.trim().split("\n").slice(0, 5).join(", ") || "clean" });
  const bundle = run("npm", ["run", "--silent", "bundle"]);
  const dist = run("git", ["status", "--porcelain", "--", "dist"]);
  checks.push({ name: "dist/ is what the sources build", ok: bundle.ok && dist.output.trim() === "", detail: bundle.ok ? dist.output.trim() || "fresh" : "npm run bundle failed" });
  if (!process.argv.includes("--skip-tests")) {
    const tests = run("npm", ["test", "--silent"]);
    checks.push({ name: "tests pass", ok: tests.ok, detail: tests.ok ? "passed" : tests.output.split("\n").slice(-15).join("\n") });
  }
  for (const check of checks) console.log(`${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(failed === 0 ? `Ready to tag v${version}.` : `${failed} check${failed === 1 ? "" : "s"} failed: not ready to tag.`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith("check-release.js")) await main();
