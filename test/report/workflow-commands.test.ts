import { describe, expect, it } from "vitest";
import { renderCheckRun } from "../../src/report/check-run.js";
import { renderWorkflowCommands, workflowCommand } from "../../src/report/workflow-commands.js";
import { artifact, finding, reportOf } from "./report.js";

describe("workflow commands", () => {
  it("annotate the check run's findings in the log, errors as error, with the place the runner links", () => {
    const report = reportOf([
      artifact("skill:b", "success", [finding({ severity: "warning", file: "skills/b/SKILL.md", line: 3, endLine: 5, message: "Short description." })]),
      artifact("agent:c", "failed", [finding({ file: "agents/c.md", line: 4, endLine: 4, column: 7, endColumn: 9 })]),
    ]);

    expect(renderWorkflowCommands(renderCheckRun(report, { tripped: true, maxAnnotations: 10 }))).toBe(
      [
        "::error title=agent%3Ac%3A agent/frontmatter,file=agents/c.md,line=4,endLine=4,col=7,endColumn=9::No frontmatter.",
        "::warning title=skill%3Ab%3A agent/frontmatter,file=skills/b/SKILL.md,line=3,endLine=5::Short description.",
        "",
      ].join("\n"),
    );
  });

  it("stop at max-annotations and say how many findings they left out", () => {
    const report = reportOf(Array.from({ length: 5 }, (_, i) => artifact(`agent:a${i}`, "failed", [finding({ file: `agents/a${i}.md` })])));
    const lines = renderWorkflowCommands(renderCheckRun(report, { tripped: true, maxAnnotations: 2 })).split("\n");

    expect(lines.filter((line) => line.startsWith("::error "))).toHaveLength(2);
    expect(lines).toContain("3 more findings were not annotated (max-annotations); the job summary lists the artifacts they belong to.");
  });

  it("escape what would end a property or the line, so a message cannot forge a second command", () => {
    expect(workflowCommand("warning", { file: "a,b:c.md", line: 2, col: undefined, title: "" }, "100% done\r\n::error::forged")).toBe("::warning file=a%2Cb%3Ac.md,line=2::100%25 done%0D%0A::error::forged");
  });

  it("stop at the 10 of each level GitHub shows from a step, and say how many more there are and where", () => {
    const report = reportOf([
      ...Array.from({ length: 12 }, (_, i) => artifact(`agent:e${i}`, "failed", [finding({ file: `agents/e${i}.md` })])),
      ...Array.from({ length: 30 }, (_, i) => artifact(`skill:w${i}`, "success", [finding({ severity: "warning", file: `skills/w${i}/SKILL.md` })])),
      artifact("skill:n", "success", [finding({ severity: "notice", file: "skills/n/SKILL.md" })]),
    ]);
    const lines = renderWorkflowCommands(renderCheckRun(report, { tripped: true, maxAnnotations: 1000 })).trimEnd().split("\n");

    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith("::warning "))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith("::notice "))).toHaveLength(1);
    expect(lines.at(-1)).toBe("2 more errors, 20 more warnings not annotated: GitHub shows 10 annotations of each level from a step; the job summary lists every finding.");
  });
});
