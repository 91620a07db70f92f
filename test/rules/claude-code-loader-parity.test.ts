import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import type { ArtifactResult, Report } from "../../src/model.js";
import { artifactsOf, claudeFails, componentsOf, looseEntryScope, matchComponents, pluginFailed, refusedAtLoad, type Component, type Manifest, type PluginScope } from "../../scripts/loader-parity.js";
import type { RecordedCase } from "../../scripts/record-claude-code-loader.js";
import { makeTree } from "../helpers/tree.js";

/**
 * Claude Code's loader is the reference for what a plugin provides and when a plugin or a
 * marketplace fails. For every folder recorded by scripts/record-claude-code-loader.ts, skilldex's
 * scan of the same files must discover what Claude Code provides, nothing it does not load, and
 * give the same verdict. How components and artifacts are matched: scripts/loader-parity.ts,
 * `matchComponents` (names for files, the file an entry comes from for hooks and servers).
 */
interface Fixture {
  tool: string;
  cases: RecordedCase[];
}

const load = (name: string): Fixture => JSON.parse(readFileSync(new URL(`./fixtures/claude-code-loader/${name}`, import.meta.url), "utf8")) as Fixture;
const real = load("real.json");
const synthetic = load("synthetic.json");

const REPO = "repo";

async function scanCase(c: RecordedCase): Promise<Report> {
  return scan({ root: makeTree(c.files, REPO), repoName: REPO });
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function manifestOf(c: RecordedCase): { manifest: Manifest; manifestPath: string } {
  if (c.kind === "entry") {
    const marketplace = parseJson(c.files[".claude-plugin/marketplace.json"]) as { plugins: Manifest[] };
    return { manifest: marketplace.plugins[0] as Manifest, manifestPath: ".claude-plugin/marketplace.json" };
  }
  const manifestPath = posix.join(c.pluginDir, ".claude-plugin/plugin.json");
  const manifest = parseJson(c.files[manifestPath]);
  return { manifest: typeof manifest === "object" && manifest !== null ? (manifest as Manifest) : {}, manifestPath };
}

function scopeOf(c: RecordedCase, report: Report, manifest: Manifest): PluginScope {
  const plugin = report.artifacts.find((a) => a.type === "plugin" && a.path === c.pluginDir);
  const names = [plugin?.name, c.pluginDir === "" ? REPO : posix.basename(c.pluginDir), typeof manifest.name === "string" ? manifest.name : undefined];
  const scope: PluginScope = { dir: c.pluginDir, names: [...new Set(names.filter((n): n is string => n !== undefined))], readText: (path) => c.files[path] };
  // An entry at the marketplace's root lists some of the root's loose artifacts as its plugin's.
  if (c.kind === "entry" && c.pluginDir === "") {
    const listed = looseEntryScope(manifest);
    return { ...scope, looseKeys: true, owns: (path) => listed(path) || path === ".claude-plugin/marketplace.json" };
  }
  return scope;
}

const describeComponent = (c: Component): string => `${c.type} ${[...c.namespace, c.name].join(":")}${c.sources.length > 0 ? ` (${c.sources.join(", ")})` : ""}`;
const failures = (artifacts: readonly ArtifactResult[]): string[] => artifacts.filter((a) => a.status === "failed").map((a) => `${a.key}: ${a.reason?.message ?? ""}`);
const said = (c: RecordedCase): string => [...c.claude.manifestErrors, ...c.claude.contentErrors].join(" | ") || "no error";

function checkCase(c: RecordedCase): () => Promise<void> {
  return async () => {
    const report = await scanCase(c);
    if (c.kind === "marketplace") {
      const marketplace = report.artifacts.find((a) => a.type === "marketplace" && a.path === c.pluginDir);
      expect({ failed: marketplace?.status === "failed", found: marketplace !== undefined }, `claude said: ${said(c)}; skilldex failed: ${failures(report.artifacts).join(" | ")}`).toEqual({
        failed: !c.claude.success,
        found: true,
      });
      return;
    }
    const { manifest, manifestPath } = manifestOf(c);
    const scope = scopeOf(c, report, manifest);
    const components = c.claude.provides === null ? null : componentsOf(c.claude.provides, { dir: c.pluginDir, manifest, manifestPath, readJson: (path) => parseJson(c.files[path]) });
    const match = components === null ? null : matchComponents(components, artifactsOf(report.artifacts, scope), scope);
    // What Claude Code's loader drops while its validator passes, skilldex fails (a workflow without meta).
    const refused = match === null ? [] : refusedAtLoad(match);
    const failed = pluginFailed(report.artifacts, scope, refused);
    // Deliberate, as above, where the recording did not mark it: a real plugin whose server or hook runs a missing script.
    const ownFailures = artifactsOf(report.artifacts, scope).filter((a) => a.status === "failed");
    const onlyBrokenScripts = ownFailures.length > 0 && ownFailures.every((a) => (a.type === "hook" || a.type === "mcp") && a.reason?.code === "broken_reference");
    if (c.brokenReferences !== undefined || (onlyBrokenScripts && !claudeFails(c.claude))) {
      // Deliberate: Claude Code loads a hook or MCP command that names a missing file and fails
      // when it runs; skilldex says so before (issue 11).
      const codes = artifactsOf(report.artifacts, scope).map((a) => a.reason?.code);
      expect({ failed, brokenReference: codes.includes("broken_reference") }, (c.brokenReferences ?? failures(report.artifacts)).join(" | ")).toEqual({ failed: true, brokenReference: true });
    } else {
      expect(failed, `claude said: ${said(c)}${c.claude.success && c.claude.provides === null ? " (and its loader fails a component)" : ""}; skilldex failed: ${failures(report.artifacts).join(" | ") || "nothing"}`).toBe(claudeFails(c.claude));
    }
    if (match === null) return;
    expect(
      { missing: match.missing.map(describeComponent), extra: match.extra.filter((a) => !refused.includes(a)).map((a) => `${a.key} (${a.path})`) },
      `skilldex discovered: ${artifactsOf(report.artifacts, scope).map((a) => a.key).join(", ") || "nothing"}`,
    ).toEqual({ missing: [], extra: [] });
  };
}

/** Artifacts keyed as DESIGN.md says, for the matching's own tests. */
const artifact = (key: string, path: string, status = "success"): ArtifactResult => {
  const [type, name] = key.split(/:(.*)/s) as [string, string];
  return { key, type: type as ArtifactResult["type"], name, path, files: [path], status: status as ArtifactResult["status"], change: null, reason: null, findings: [] };
};

function matchFor(id: string, artifacts: ArtifactResult[]): { missing: string[]; extra: string[] } {
  const c = synthetic.cases.find((x) => x.id === id);
  if (c?.claude.provides == null) throw new Error(`no recorded provides for ${id}`);
  const { manifest, manifestPath } = manifestOf(c);
  const scope: PluginScope = { dir: c.pluginDir, names: [REPO, String(manifest.name)], readText: (path) => c.files[path] };
  const match = matchComponents(componentsOf(c.claude.provides, { dir: c.pluginDir, manifest, manifestPath, readJson: (path) => parseJson(c.files[path]) }), artifactsOf(artifacts, scope), scope);
  return { missing: match.missing.map(describeComponent), extra: match.extra.map((a) => a.key) };
}

describe("matching Claude Code's components with skilldex's artifacts", () => {
  it("accepts agents, commands and skills keyed by path, nested ones by their folders", () => {
    const artifacts = [
      artifact("agent:repo/reviewer", "agents/reviewer.md"),
      artifact("agent:repo/noname", "agents/noname.md"),
      artifact("agent:repo/lead", "agents/team/lead.md"),
      artifact("command:repo/deploy", "commands/deploy.md"),
      artifact("command:repo/commit", "commands/git/commit.md"),
      artifact("command:repo/squash", "commands/git/deep/squash.md"),
      artifact("skill:repo/pdf", "skills/pdf"),
    ];
    expect(matchFor("synthetic:default-folders", artifacts)).toEqual({ missing: [], extra: [] });
  });

  it("reports what Claude Code does not load, and what it loads that skilldex lacks", () => {
    const artifacts = [artifact("agent:repo/reviewer", "agents/reviewer.md"), artifact("skill:repo/inner", "skills/group/inner"), artifact("skill:repo/pdf", "skills/pdf")];
    expect(matchFor("synthetic:default-folders", artifacts)).toEqual({
      missing: ["agent noname", "agent team:lead", "command deploy", "command git:commit", "command git:deep:squash"],
      extra: ["skill:repo/inner"],
    });
  });

  it("does not take the project's .claude/ for the plugin's, however it is keyed", () => {
    const project = [artifact("agent:helper", ".claude/agents/helper.md"), artifact("skill:local-skill", ".claude/skills/local-skill")];
    expect(matchFor("synthetic:project-scope-in-plugin-root", [artifact("skill:repo/brainstorm", "skills/brainstorm"), ...project])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:project-scope-in-plugin-root", [artifact("skill:repo/brainstorm", "skills/brainstorm"), artifact("agent:repo/helper", ".claude/agents/helper.md")]).extra).toEqual(["agent:repo/helper"]);
  });

  it("matches hooks and MCP servers by the file they come from, one file for all its entries", () => {
    expect(matchFor("synthetic:hooks-manifest-path", [artifact("hook:repo", "hooks/hooks.json"), artifact("hook:repo/config/more-hooks.json", "config/more-hooks.json")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:hooks-manifest-path", [artifact("hook:repo", "hooks/hooks.json")]).missing).toEqual(["hook SessionStart (config/more-hooks.json)"]);
    expect(matchFor("synthetic:mcp-default", [artifact("mcp:repo", ".mcp.json")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:mcp-inline", [artifact("mcp:repo", ".mcp.json"), artifact("mcp:repo/.claude-plugin/plugin.json", ".claude-plugin/plugin.json")])).toEqual({ missing: [], extra: [] });
  });

  it("matches the newer types by name: LSP servers, workflows by meta.name, themes, bin files and hooks modules", () => {
    expect(matchFor("synthetic:lsp-inline", [artifact("lsp:repo/gopls", ".claude-plugin/plugin.json"), artifact("lsp:repo/rust", ".lsp.json")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:workflows", [artifact("workflow:repo/scan", "workflows/scan.js")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:workflows", [artifact("workflow:repo/skip", "workflows/sub/skip.js")])).toEqual({ missing: ["workflow scan"], extra: ["workflow:repo/skip"] });
    expect(matchFor("synthetic:themes", [artifact("theme:repo/dark-blue", "themes/dark-blue.json")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:bin", [artifact("bin:repo/tool", "bin/tool"), artifact("bin:repo/helper.py", "bin/helper.py")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:hooks-module", [artifact("module:repo/hooks/register.js", "hooks/register.js")])).toEqual({ missing: [], extra: [] });
    expect(matchFor("synthetic:commands-object", [artifact("command:repo/m", "more/m.md")])).toEqual({ missing: [], extra: [] });
  });
});

describe(`skilldex discovers what Claude Code's loader provides (${synthetic.tool}), on ${synthetic.cases.length} synthetic layouts`, () => {
  it.each(synthetic.cases.map((c) => [`${c.id}: ${c.layout ?? ""}`, c] as const))("%s", (_name, c) => checkCase(c)());
});

describe(`skilldex discovers what Claude Code's loader provides (${real.tool}), on ${real.cases.length} folders of public repositories`, () => {
  it.each(real.cases.map((c) => [c.id, c] as const))("%s", (_name, c) => checkCase(c)(), 30_000);
});
