import { describe, expect, it } from "vitest";
import type { ArtifactResult, Report } from "../../src/model.js";
import { renderText } from "../../src/report/text.js";
import { scanTree, skill } from "../helpers/repo.js";
import { artifact, finding, reportOf } from "./report.js";

function excluded(key: string, pattern: string): ArtifactResult {
  return { ...artifact(key, "skipped"), reason: { code: "excluded", message: `Excluded by the pattern ${JSON.stringify(pattern)} in the skilldex config.`, pattern } };
}

describe("the text report", () => {
  it("collapses excluded artifacts to one line per exclude pattern with its count", async () => {
    const report = await scanTree({
      ".github/skilldex.yml": 'exclude: ["backups/**", "old/**"]\n',
      "backups/a/skills/x/SKILL.md": skill("x"),
      "backups/b/skills/y/SKILL.md": skill("y"),
      "backups/c/skills/z/SKILL.md": skill("z"),
      "old/skills/w/SKILL.md": skill("w"),
      "skills/kept/SKILL.md": skill("kept"),
    });
    const lines = renderText(report).split("\n");
    expect(lines.filter((l) => l.includes("excluded"))).toEqual(['  ○ 3 artifacts excluded by the pattern "backups/**"', '  ○ 1 artifact excluded by the pattern "old/**"']);
  });

  it("groups an artifact's findings by file, as ESLint's stylish formatter does", () => {
    const report = reportOf([
      artifact("skill:one", "failed", [finding({ file: "skills/one/SKILL.md", line: 2, column: 7, message: "Bad name." })]),
      artifact("skill:two", "failed", [finding({ file: "skills/two/SKILL.md", line: 2, column: 7, message: "Bad name." }), finding({ file: "skills/two/SKILL.md", line: 3, column: 1, message: "No description." })]),
      artifact("plugin:p", "failed", [finding({ file: "p/.claude-plugin/plugin.json", line: 5, column: 3, message: "Bad path." }), finding({ file: "p/hooks/hooks.json", line: 1, column: 1, message: "Not an object." })]),
    ]);
    const text = renderText(report);
    expect(text).toContain("  ✗ skill:one (missing_metadata)  skills/one/SKILL.md:2:7  error  Bad name.  agent/frontmatter\n");
    expect(text).toContain(["  ✗ skill:two (missing_metadata)  skills/two/SKILL.md", "      2:7  error  Bad name.  agent/frontmatter", "      3:1  error  No description.  agent/frontmatter"].join("\n"));
    expect(text).toContain(["  ✗ plugin:p (missing_metadata)", "      p/.claude-plugin/plugin.json", "        5:3  error  Bad path.  agent/frontmatter", "      p/hooks/hooks.json", "        1:1  error  Not an object.  agent/frontmatter"].join("\n"));
  });

  it("leaves warnings and notices out with quiet, in the rollup and the detail", () => {
    const report = reportOf([
      artifact("agent:a", "failed", [finding({ file: "agents/a.md" })]),
      artifact("skill:f", "success", [finding({ rule: "skill/allowed-fields", severity: "warning", file: "skills/f/SKILL.md", line: 4 })]),
    ]);
    expect(renderText(report)).toContain("skill/allowed-fields");
    const quiet = renderText(report, { quiet: true });
    expect(quiet).not.toContain("skill/allowed-fields");
    expect(quiet).not.toContain("Warnings and notices");
    expect(quiet).toContain("agent/frontmatter");
  });

  it("lists what was added, updated and removed against the base", () => {
    const a = { ...artifact("skill:new", "success"), change: "added" as const };
    const u = { ...artifact("skill:changed", "failed", [finding()]), change: "updated" as const };
    const same = { ...artifact("skill:same", "success"), change: "unchanged" as const };
    const report: Report & { removed: unknown[] } = { ...reportOf([a, u, same]), base: "main", removed: [{ key: "skill:gone", type: "skill", path: "skills/gone", change: "removed" }] };
    const text = renderText(report);
    expect(text).toContain(["Against main: 1 added, 1 updated, 1 unchanged. 1 removed since the base.", "  + added skill:new", "  ~ updated skill:changed (failed)", "  - removed skill:gone (skills/gone)"].join("\n"));
  });

  it("colours only when asked, and escapes names from the repository even then", () => {
    const report = reportOf([artifact("agent:a", "failed", [finding({ file: "agents/a.md", message: "x\u001b[2J" })]), excluded("skill:b", "old/**")]);
    expect(renderText(report)).not.toContain("\u001b");
    const coloured = renderText(report, { color: true });
    expect(coloured).toContain("\u001b[31m✗\u001b[39m agent:a");
    expect(coloured).toContain("x\\u001b[2J");
    expect(coloured).not.toContain("\u001b[2J");
  });
});
