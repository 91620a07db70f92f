import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * What a user gets from `npm i -D skilldex`: the tarball `npm pack` makes, installed into a fresh
 * folder the way a user installs it, then run with `npx skilldex`. The tarball holds the lib/ that
 * `npm test` builds first (`pretest`); packing with scripts would rebuild lib/ under the suites
 * running beside this one.
 */
const repo = resolve(import.meta.dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

let work: string;
let consumer: string;

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" } });
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Every package under node_modules, however deep, by the name its folder gives it. */
function installedPackages(root: string): string[] {
  const names: string[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const scoped = entry.startsWith("@") ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`) : [entry];
      for (const name of scoped) {
        names.push(name);
        walk(join(modules, name, "node_modules"));
      }
    }
  };
  walk(join(root, "node_modules"));
  return names;
}

beforeAll(() => {
  if (!existsSync(join(repo, "lib/src/cli/main.js"))) throw new Error("lib/ is not built: run `npm run build` (npm test does it first)");
  work = mkdtempSync(join(tmpdir(), "skilldex-package-"));
  const tarball = execFileSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: repo, encoding: "utf8" }).trim().split("\n").pop() as string;
  consumer = join(work, "consumer");
  write(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  // From the cache `npm ci` filled when it can; from the registry when the cache lacks a package's metadata.
  const args = ["install", "--save-dev", "--no-audit", "--no-fund", join(work, tarball)];
  let installed = run(npm, [...args, "--offline"], consumer);
  if (installed.status !== 0) installed = run(npm, [...args, "--prefer-offline"], consumer);
  if (installed.status !== 0) throw new Error(`npm install of the packed tarball failed:\n${installed.stderr}`);

  const fixture = join(work, "fixture");
  write(join(fixture, "skills/pdf/SKILL.md"), "---\nname: pdf\ndescription: Extracts text and tables from PDF files. Use when the user asks about a PDF.\n---\n\n# PDF\n");
  write(join(fixture, "plugins/tools/.claude-plugin/plugin.json"), '{\n  "name": "tools",\n  "version": "1.0.0",\n}\n');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed skilldex package", () => {
  it("runs `npx skilldex scan` from a fresh install and reports each artifact", () => {
    const scanned = run(npx, ["--no-install", "skilldex", "scan", join(work, "fixture"), "--format", "json"], consumer);
    expect(scanned.stderr).toBe("");
    expect(scanned.status).toBe(1);
    const report = JSON.parse(scanned.stdout) as { schema: string; totals: Record<string, number>; artifacts: { key: string; status: string; reason: { code: string } | null }[] };
    expect(report.schema).toBe("skilldex/report@1");
    expect(report.totals).toMatchObject({ discovered: 2, success: 1, skipped: 0, failed: 1 });
    expect(report.artifacts.map((a) => [a.key, a.status, a.reason?.code ?? null])).toEqual([
      ["plugin:tools", "failed", "json_parse_error"],
      ["skill:pdf", "success", null],
    ]);
  }, 60_000);

  it("installs none of the App's packages and not the tracing SDK", () => {
    const names = installedPackages(consumer);
    expect(names).toContain("skilldex");
    expect(names).toContain("yaml");
    expect(names.filter((name) => name === "probot" || name === "pino" || name.startsWith("@probot/") || name.startsWith("@actions/") || name.startsWith("@opentelemetry/sdk-"))).toEqual([]);
    const tree = run(npm, ["ls", "--all", "--parseable"], consumer);
    expect(tree.status).toBe(0);
    expect(tree.stdout).not.toMatch(/node_modules[\\/](probot|@opentelemetry[\\/]sdk-)/);
  }, 60_000);

  it("says in one line what to install when OTLP export is asked for without the tracing SDK", () => {
    const script = 'const { setupTracing } = await import("skilldex/lib/src/telemetry/trace.js"); await setupTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, "test");';
    const traced = run(process.execPath, ["--input-type=module", "-e", `try { ${script} } catch (error) { console.log(error.message); process.exitCode = 3; }`], consumer);
    expect(traced.status).toBe(3);
    expect(traced.stdout).toBe(
      "OTLP trace export is configured but @opentelemetry/sdk-trace-base is not installed: run `npm i @opentelemetry/sdk-trace-base` beside skilldex, or unset OTEL_EXPORTER_OTLP_ENDPOINT\n",
    );
  }, 60_000);
});
