import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyBaselineAt, BASELINE_PATH, parseBaseline } from "../../src/baseline/baseline.js";
import { runCli } from "../../src/cli/run.js";
import { scan } from "../../src/pipeline/pipeline.js";
import { renderSarif } from "../../src/report/sarif.js";
import { parseSettings } from "../../src/config.js";
import { appliedSettings, ruleSettingsOf } from "../../src/rules/settings.js";
import { agent, byKey, makeTree, skill, writeTree } from "../helpers/repo.js";

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

/** Today's repository: a subagent Claude Code refuses, and a skill with a field the spec does not allow. */
const today = {
  ".claude/agents/old.md": "---\ndescription: No name.\n---\nbody\n",
  "skills/a/SKILL.md": "---\nname: a\ndescription: Does a. Use when asked.\nextra: field\n---\nbody\n",
  "skills/b/SKILL.md": skill("b"),
};

const baselineOf = (root: string) => parseBaseline(readFileSync(join(root, BASELINE_PATH), "utf8"));

describe("skilldex baseline", () => {
  it("writes today's findings with the fingerprints SARIF gives them", async () => {
    const root = makeTree(today);
    expect(await cli(["baseline"], root)).toEqual({ code: 0, stdout: `${BASELINE_PATH}: 2 findings written\n`, stderr: "" });
    const entries = baselineOf(root);
    const sarif = JSON.parse(renderSarif(await scan({ root })));
    const results = sarif.runs[0].results as { ruleId: string; message: { text: string }; partialFingerprints: Record<string, string> }[];
    expect(entries).toEqual(
      results
        .map((r) => ({ rule: r.ruleId, key: r.message.text.split(": ")[0] as string, fingerprint: r.partialFingerprints["skilldexFinding/v1"] }))
        .sort((x, y) => (x.key < y.key ? -1 : 1)),
    );
    expect(entries.map((e) => `${e.key} ${e.rule}`)).toEqual(["agent:old agent/name-required", "skill:a skill/allowed-fields"]);
  });

  it("holds back the baselined findings of later scans, which then pass, while a new one still fails", async () => {
    const root = makeTree(today);
    await cli(["baseline"], root);
    // Lines move above both findings: they stay baselined.
    writeTree(root, {
      ".claude/agents/old.md": "---\n# moved down\n\ndescription: No name.\n---\nbody\n",
      "skills/a/SKILL.md": "---\nname: a\nlicense: MIT\ndescription: Does a. Use when asked.\nextra: field\n---\nbody\n",
    });
    const green = applyBaselineAt(await scan({ root }));
    expect(green.totals).toMatchObject({ failed: 0, success: 3 });
    expect(green.metrics.findings).toEqual({ error: 0, warning: 0, notice: 0 });
    expect(byKey(green, "agent:old")).toMatchObject({ status: "success", reason: null, findings: [], baselined: [expect.objectContaining({ rule: "agent/name-required" })] });
    expect(byKey(green, "skill:a")).toMatchObject({ findings: [], baselined: [expect.objectContaining({ rule: "skill/allowed-fields", line: 5 })] });
    expect(green.baseline).toEqual({ file: BASELINE_PATH, baselined: 2, fixed: [] });

    writeTree(root, { ".claude/agents/new.md": "no frontmatter\n" });
    const red = applyBaselineAt(await scan({ root }));
    expect(red.totals.failed).toBe(1);
    expect(byKey(red, "agent:new").status).toBe("failed");
    expect(byKey(red, "agent:old").status).toBe("success");
  });

  it("keeps an artifact failed on its new errors, and lists the findings that disappeared as fixed", async () => {
    const root = makeTree(today);
    await cli(["baseline"], root);
    writeTree(root, {
      ".claude/agents/old.md": "---\nname: old\n---\nbody\n",
      "skills/a/SKILL.md": skill("a"),
    });
    const report = applyBaselineAt(await scan({ root }));
    expect(byKey(report, "agent:old")).toMatchObject({ status: "failed", findings: [expect.objectContaining({ rule: "agent/description-required" })] });
    expect(report.baseline?.fixed.map((e) => `${e.key} ${e.rule}`)).toEqual(["agent:old agent/name-required", "skill:a skill/allowed-fields"]);

    expect(await cli(["baseline", "--prune"], root)).toMatchObject({ code: 0, stdout: `${BASELINE_PATH}: 2 fixed findings dropped, 0 kept\n` });
    expect(baselineOf(root)).toEqual([]);
  });

  it("prunes without adding what is new", async () => {
    const root = makeTree(today);
    await cli(["baseline"], root);
    writeTree(root, { "skills/a/SKILL.md": skill("a"), ".claude/agents/another.md": agent("Bad Name") });
    expect((await cli(["baseline", "--prune"], root)).stdout).toBe(`${BASELINE_PATH}: 1 fixed finding dropped, 1 kept\n`);
    expect(baselineOf(root).map((e) => e.key)).toEqual(["agent:old"]);
  });

  it("says what to do with no baseline to prune, or one that cannot be read", async () => {
    const root = makeTree(today);
    expect(await cli(["baseline", "--prune"], root)).toEqual({ code: 2, stdout: "", stderr: `skilldex: error: there is no ${BASELINE_PATH} to prune; \`skilldex baseline\` writes one\n` });
    writeTree(root, { [BASELINE_PATH]: '{"schema": "skilldex/baseline@1", "findings": [{"rule": 1}]}' });
    expect((await cli(["baseline", "--prune"], root)).stderr).toBe(`skilldex: error: ${BASELINE_PATH}: finding 1 needs rule, key and fingerprint as text\n`);
    writeFileSync(join(root, BASELINE_PATH), "{");
    await expect(scan({ root }).then(applyBaselineAt)).rejects.toThrow(`${BASELINE_PATH} is not valid JSON`);
  });

  it("writes reports the published schema describes, with the baseline and the settings that applied", async () => {
    const root = makeTree(today);
    await cli(["baseline"], root);
    writeTree(root, { "skills/a/SKILL.md": skill("a"), ".claude/agents/new.md": "no frontmatter\n" });
    const report = applyBaselineAt(await scan({ root }));
    report.settings = appliedSettings(ruleSettingsOf(parseSettings('rules: {skill/allowed-fields: "off"}\noverrides:\n  - files: ["skills/**"]\n    rules: {agent/name-required: warning}\n')), report.artifacts) ?? undefined;
    expect(report.baseline?.fixed).toHaveLength(1);
    expect(report.artifacts.some((a) => a.baselined)).toBe(true);
    const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false }).compile(JSON.parse(readFileSync("docs/reference/report.schema.json", "utf8")));
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const broken = JSON.parse(JSON.stringify(report));
    broken.settings.rules["skill/allowed-fields"] = "warn";
    expect(validate(broken)).toBe(false);
  });
});
