import { Ajv2020 } from "ajv/dist/2020.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRepository } from "../../bench/generate.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { ARTIFACT_TYPES, FAIL_REASON_CODES, SKIP_REASON_CODES, type Report } from "../../src/model.js";
import { git, makeGitRepo, skill, writeTree } from "../helpers/repo.js";

const schema = JSON.parse(readFileSync("docs/reference/report.schema.json", "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false }).compile(schema);

function expectValid(report: Report): void {
  const ok = validate(JSON.parse(JSON.stringify(report)));
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
}

const scratch = mkdtempSync(join(tmpdir(), "skilldex-schema-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the published report schema", () => {
  it("describes the report of the example repository", async () => {
    const report = await scan({ root: "examples/marketplace" });
    expect(report.totals.skipped + report.totals.failed).toBeGreaterThan(0);
    expectValid(report);
  });

  it("describes the report of a generated repository with every type and broken artifacts, in both profiles", async () => {
    generateRepository(scratch, 500);
    for (const profile of ["claude-code", "agentskills"] as const) {
      const report = await scan({ root: scratch, profile });
      expect(report.totals.failed).toBeGreaterThan(0);
      expect(ARTIFACT_TYPES.every((t) => report.byType[t].discovered > 0)).toBe(true);
      expectValid(report);
    }
  });

  it("describes a report with a base, changes and every skip reason", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a"), "skills/b/SKILL.md": skill("b") });
    const base = git(root, "rev-parse", "HEAD").trim();
    writeTree(root, {
      ".github/skilldex.yml": 'exclude: ["archive/**"]\nskip:\n  - key: skill:b\n    reason: old\n    by: octocat\n    at: 2026-11-20T10:00:00Z\n    ref: "#1"\n',
      "archive/skills/old/SKILL.md": skill("old"),
      "skills/c/SKILL.md": skill("c"),
      "more/skills/c/SKILL.md": skill("c"),
    });
    const report = await scan({ root, base });
    expect(new Set(report.artifacts.map((a) => a.reason?.code ?? a.change))).toEqual(new Set(["unchanged", "added", "in_skip_list", "excluded", "duplicate"]));
    expectValid(report);
  });

  it("names every status, type and reason code the code has, and no other", () => {
    const artifact = schema.$defs.artifact.properties;
    expect(artifact.type.enum).toEqual([...ARTIFACT_TYPES]);
    expect(schema.$defs.reason.properties.code.enum).toEqual([...SKIP_REASON_CODES, ...FAIL_REASON_CODES]);
    expect(artifact.status.enum).toEqual(["success", "skipped", "failed"]);
  });

  it("rejects what a reader must not be handed: an unknown status, a failure without an error finding", async () => {
    const report = JSON.parse(JSON.stringify(await scan({ root: "examples/marketplace" })));
    const bad = structuredClone(report);
    bad.artifacts[0].status = "imported";
    expect(validate(bad)).toBe(false);
    const failedWithoutError = structuredClone(report);
    const failed = failedWithoutError.artifacts.find((a: { status: string }) => a.status === "failed");
    failed.findings = failed.findings.map((f: { severity: string }) => ({ ...f, severity: "warning" }));
    expect(validate(failedWithoutError)).toBe(false);
  });
});
