import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scanTree } from "../helpers/repo.js";

interface Case {
  id: string;
  folder: string;
  content: string;
  valid: boolean;
  errors: string[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/skills-ref-verdicts.json", import.meta.url), "utf8")) as { tool: string; cases: Case[] };

/** skilldex's agentskills verdict on one SKILL.md in a folder of the given name. */
async function verdict(c: Case): Promise<{ valid: boolean; errors: string[] }> {
  const strict = await scanTree({ [`skills/${c.folder}/SKILL.md`]: c.content }, { profile: "agentskills" });
  const skill = strict.artifacts.find((a) => a.type === "skill");
  if (!skill) throw new Error(`no skill discovered for ${c.id}`);
  return { valid: skill.status === "success", errors: skill.findings.filter((f) => f.severity === "error").map((f) => `${f.rule}: ${f.message}`) };
}

describe(`agentskills verdicts agree with ${fixture.tool} on ${fixture.cases.length} recorded cases`, () => {
  it.each(fixture.cases.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const ours = await verdict(c);
    expect({ valid: ours.valid, ours: ours.errors }, `skills-ref said: ${c.errors.join(" | ") || "valid"}`).toMatchObject({ valid: c.valid });
  });
});
