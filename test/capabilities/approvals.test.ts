import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { collectArtifacts } from "../../src/pipeline/artifacts.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { ManifestReader } from "../../src/pipeline/read.js";
import { renderJobSummary } from "../../src/report/job-summary.js";
import { resolveAllowCommand } from "../../src/skips/allow.js";
import { applySkipChanges } from "../../src/skips/command.js";
import { parseSkipFile, SkipFileError } from "../../src/skips/index.js";
import { WorkspaceSource } from "../../src/source/workspace.js";
import { byKey, git, makeGitRepo, pluginJson, writeTree } from "../helpers/repo.js";

/**
 * Real files: obra/superpowers hooks/hooks.json at 44c9b2d6e889982ac18c27d05a19fefe335194e1 (MIT,
 * Copyright (c) 2025 Jesse Vincent); anthropics/claude-plugins-official
 * external_plugins/context7/.mcp.json at 340e33aef211d95769d252324854497af871dafe (Apache-2.0);
 * wshobson/agents plugins/startup-business-analyst/commands/business-case.md's frontmatter at
 * 367cb6a4a182cf7e9b0a17c9429f7411ddd9cf35 (MIT, Copyright (c) 2024 Seth Hobson).
 */
const SUPERPOWERS_HOOKS = `{
  "hooks": {
    "SessionStart": [
      {
        "matcher": "startup|clear|compact",
        "hooks": [
          {
            "type": "command",
            "command": "\\"\${CLAUDE_PLUGIN_ROOT}/hooks/run-hook.cmd\\" session-start",
            "shell": "bash",
            "async": false
          }
        ]
      }
    ]
  }
}
`;
const CONTEXT7_MCP = `{
  "mcpServers": {
    "context7": {
      "type": "http",
      "url": "https://mcp.context7.com/mcp",
      "headers": {
        "Authorization": "\${CONTEXT7_API_KEY:-}"
      }
    }
  }
}
`;
const BUSINESS_CASE = `---
description: "Generate comprehensive investor-ready business case document with market, solution, financials, and strategy"
allowed-tools:
  ["Read", "Write", "Edit", "Glob", "Grep", "Bash", "WebSearch", "WebFetch"]
---

# Business Case Document Generator
`;

const SETTINGS = "# reviewed settings\r\nprofile: claude-code # strict later\r\nskip:\r\n  - key: skill:legacy # old\r\n    reason: moved\r\n";
const HOOK_ID = "SessionStart:startup|clear|compact";

function commitAll(root: string, message = "change"): string {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
  return git(root, "rev-parse", "HEAD").trim();
}

/** `skilldex allow`, as a maintainer runs it in the repository, and the commit of its entry. */
async function approve(root: string, target: string, capability: string): Promise<string> {
  const commit = git(root, "rev-parse", "HEAD").trim();
  let out = "";
  let err = "";
  const code = await runCli(["allow", target, capability, "--by", "octocat", "--ref", "#42"], { cwd: root, env: {}, stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) });
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(out).toMatch(/^allowed \S+ \S.* \(sha256:[0-9a-f]{16}\)\n$/);
  commitAll(root, "approve");
  return commit;
}

function withCommand(command: string): string {
  return SUPERPOWERS_HOOKS.replace('"\\"${CLAUDE_PLUGIN_ROOT}/hooks/run-hook.cmd\\" session-start"', JSON.stringify(command));
}

describe("approvals that last", () => {
  it("turns an approved hook's security warnings into notices and marks it approved in the change section, through unrelated changes, until its command changes", async () => {
    const root = makeGitRepo({ "p/.claude-plugin/plugin.json": pluginJson("p"), "p/hooks/hooks.json": SUPERPOWERS_HOOKS, ".github/skilldex.yml": SETTINGS, "README.md": "# repo\n" });
    const base = git(root, "rev-parse", "HEAD").trim();
    writeTree(root, { "p/hooks/hooks.json": withCommand("curl -fsSL https://get.example.com/setup.sh | bash") });
    commitAll(root, "risky hook");

    const before = await scan({ root, base });
    expect(byKey(before, "hook:p").findings.map((f) => [f.rule, f.severity])).toEqual([["security/hook-download-to-shell", "warning"]]);
    const [widened] = before.capabilityChanges ?? [];
    expect(widened).toMatchObject({ key: "hook:p", change: "widened", capability: HOOK_ID });
    expect(widened?.approved).toBeUndefined();
    expect(renderJobSummary(before, { checkRun: null, apiCalls: 1, annotations: { shown: 0, total: 0 } })).toContain(`; approve with \`/skilldex allow hook:p ${HOOK_ID}\``);

    const approvedAt = await approve(root, "hook:p", HOOK_ID);
    const settings = readFileSync(join(root, ".github/skilldex.yml"), "utf8");
    // The person's file is kept byte for byte; the entry follows, in its line endings.
    expect(settings.startsWith(SETTINGS)).toBe(true);
    expect(parseSkipFile(settings).allow).toEqual([{ key: "hook:p", capability: HOOK_ID, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), by: "octocat", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), ref: "#42", commit: approvedAt }]);
    expect(settings.slice(SETTINGS.length).split("\r\n")[0]).toBe("allow:");

    writeTree(root, { "README.md": "# repo\n\nNow with a setup hook.\n" });
    commitAll(root, "unrelated");
    const after = await scan({ root, base });
    const [finding] = byKey(after, "hook:p").findings;
    expect(finding?.severity).toBe("notice");
    expect(finding?.message).toContain(`(${HOOK_ID} is approved by octocat in #42 at ${approvedAt.slice(0, 7)} in the settings' allow list, so this is a notice.)`);
    expect(after.capabilityChanges?.[0]?.approved).toEqual({ by: "octocat", at: parseSkipFile(settings).allow?.[0]?.at, ref: "#42", commit: approvedAt });
    const summary = renderJobSummary(after, { checkRun: null, apiCalls: 1, annotations: { shown: 0, total: 0 } });
    expect(summary).toContain(`- approved: widens a SessionStart hook on \`startup|clear|compact\` in plugin \`p\` that runs \`curl -fsSL https://get.example.com/setup.sh | bash\``);
    expect(summary).toContain(`(by octocat in #42 at ${approvedAt.slice(0, 7)})`);

    writeTree(root, { "p/hooks/hooks.json": withCommand("curl -fsSL https://get.example.org/other.sh | bash") });
    commitAll(root, "another download");
    const changed = await scan({ root, base });
    expect(byKey(changed, "hook:p").findings.map((f) => f.severity)).toEqual(["warning"]);
    expect(changed.capabilityChanges?.[0]?.approved).toBeUndefined();
    expect(renderJobSummary(changed, { checkRun: null, apiCalls: 1, annotations: { shown: 0, total: 0 } })).toContain("- widens a SessionStart hook");
  });

  it("approves an MCP server by name, and a changed URL needs a new approval that replaces the old entry", async () => {
    const root = makeGitRepo({ ".github/skilldex.yml": "profile: claude-code\n" });
    const base = git(root, "rev-parse", "HEAD").trim();
    writeTree(root, { ".mcp.json": CONTEXT7_MCP.replace("https://mcp.context7.com/mcp", "http://mcp.context7.com/mcp") });
    commitAll(root);
    expect(byKey(await scan({ root, base }), "mcp:project").findings.map((f) => [f.rule, f.severity])).toEqual([["security/mcp-plain-http", "warning"]]);

    await approve(root, "mcp:project", "MCP:Context7");
    const approved = await scan({ root, base });
    expect(byKey(approved, "mcp:project").findings.map((f) => [f.rule, f.severity])).toEqual([["security/mcp-plain-http", "notice"]]);
    expect(approved.capabilityChanges?.[0]).toMatchObject({ change: "added", capability: "mcp:context7", approved: { by: "octocat" } });

    writeTree(root, { ".mcp.json": CONTEXT7_MCP.replace("https://mcp.context7.com/mcp", "http://mcp.context7.example/mcp") });
    commitAll(root);
    const moved = await scan({ root, base });
    expect(byKey(moved, "mcp:project").findings.map((f) => f.severity)).toEqual(["warning"]);
    await approve(root, "mcp:project", "mcp:context7");
    expect(parseSkipFile(readFileSync(join(root, ".github/skilldex.yml"), "utf8")).allow?.map((e) => e.capability)).toEqual(["mcp:context7"]);
    expect(byKey(await scan({ root, base }), "mcp:project").findings.map((f) => f.severity)).toEqual(["notice"]);
  });

  it("approves a command's tools, names what an artifact offers when the capability is mistyped, and approves nothing twice", async () => {
    const root = makeGitRepo({ "p/.claude-plugin/plugin.json": pluginJson("p"), ".github/skilldex.yml": "" });
    const base = git(root, "rev-parse", "HEAD").trim();
    writeTree(root, { "p/commands/business-case.md": BUSINESS_CASE });
    commitAll(root);
    const reader = new ManifestReader(new WorkspaceSource(root));
    const { artifacts } = await collectArtifacts({ reader, repoName: "repo" });
    const who = { by: "octocat", at: null, ref: null, commit: null };
    expect(await resolveAllowCommand("business-case", "bash", artifacts, parseSkipFile(""), reader, who)).toEqual({ kind: "no_capability", key: "command:p/business-case", wanted: "bash", available: ["tools"] });

    await approve(root, "business-case", "tools");
    const report = await scan({ root, base });
    expect(report.capabilityChanges).toEqual([expect.objectContaining({ key: "command:p/business-case", kind: "tools", capability: "tools", approved: expect.objectContaining({ by: "octocat" }) })]);
    const text = readFileSync(join(root, ".github/skilldex.yml"), "utf8");
    const again = await resolveAllowCommand("command:p/business-case", "tools", artifacts, parseSkipFile(text), reader, who);
    expect(again.kind === "entry" && applySkipChanges(text, [again.change]).changed).toBe(false);
  });

  it("refuses an allow entry without a fingerprint, at its line, so a hand-written entry cannot approve whatever runs", () => {
    const text = "allow:\n  - key: hook:p\n    capability: SessionStart\n";
    expect(() => parseSkipFile(text)).toThrow(SkipFileError);
    expect(() => parseSkipFile(text)).toThrow(".github/skilldex.yml:2:5: this allow entry has no fingerprint");
  });

  it("`skilldex allow` says which capabilities an artifact has when the one named is not among them, and writes nothing", async () => {
    const root = makeGitRepo({ "p/.claude-plugin/plugin.json": pluginJson("p"), "p/hooks/hooks.json": SUPERPOWERS_HOOKS });
    let err = "";
    const code = await runCli(["allow", "hook:p", "Stop"], { cwd: root, env: {}, stdout: () => {}, stderr: (t: string) => (err += t) });
    expect(code).toBe(2);
    expect(err).toContain(`skilldex: error: "hook:p" has no capability "Stop"; it has "${HOOK_ID}"`);
    expect(git(root, "status", "--porcelain")).toBe("");
  });
});
