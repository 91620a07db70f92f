import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPORT_OPTIONS, SCAN_OPTIONS } from "../../src/cli/args.js";

const read = (path: string) => readFileSync(path, "utf8");

describe("the reference documentation covers what the code has", () => {
  it("documents every input and output of action.yml in docs/action.md, and no other", () => {
    const action = parse(read("action.yml")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const doc = read("docs/action.md");
    const documented = (section: string) => {
      const table = doc.slice(doc.indexOf(`## ${section}`)).split("\n## ")[0] as string;
      return [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    };
    expect(documented("Inputs")).toEqual(Object.keys(action.inputs).sort());
    expect(documented("Outputs")).toEqual(Object.keys(action.outputs).sort());
  });

  it("names every option of `skilldex scan` in the README and in the command's help", async () => {
    const readme = read("README.md");
    const { runCli } = await import("../../src/cli/run.js");
    let help = "";
    await runCli(["--help"], { stdout: (t) => (help += t), stderr: () => {}, cwd: ".", env: {} });
    for (const option of Object.keys({ ...SCAN_OPTIONS, ...REPORT_OPTIONS }).filter((o) => o !== "help" && o !== "repo-name")) {
      expect(readme, option).toContain(`--${option}`);
      expect(help, option).toContain(`--${option}`);
    }
  });
});

describe("the project's own workflow", () => {
  it("runs the same .ci/run as local checks, and the Action built from the commit on the example", () => {
    const workflow = parse(read(".github/workflows/ci.yml")) as { jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
    expect(workflow.jobs.test?.steps.some((s) => s.run === "bash .ci/run")).toBe(true);
    const action = workflow.jobs.example?.steps.find((s) => s.uses === "./");
    expect(action?.with?.path).toBe("examples/marketplace");
  });
});
