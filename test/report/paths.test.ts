import { describe, expect, it } from "vitest";
import { relativeToRepository } from "../../src/report/paths.js";
import { artifact, finding, reportOf } from "./report.js";

describe("paths of a sub-folder's report", () => {
  it("start at the repository root, the folder's own root artifact at the folder itself", () => {
    const root = { ...artifact("marketplace:tools", "success"), path: "", files: [".claude-plugin/marketplace.json"] };
    const report = reportOf([root, artifact("agent:a", "failed", [finding({ file: "agents/a.md" })])]);
    const shown = relativeToRepository(report, "tools");

    expect(shown.artifacts.map((a) => [a.path, a.files, a.findings.map((f) => f.file)])).toEqual([
      ["tools", ["tools/.claude-plugin/marketplace.json"], []],
      ["tools/agents/a", ["tools/agents/a"], ["tools/agents/a.md"]],
    ]);
    expect(report.artifacts[1]?.findings[0]?.file).toBe("agents/a.md");
  });

  it("stay as they are for a scan of the whole repository", () => {
    const report = reportOf([artifact("agent:a", "failed", [finding()])]);
    expect(relativeToRepository(report, "")).toBe(report);
  });
});
