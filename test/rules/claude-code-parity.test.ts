import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scanTree } from "../helpers/repo.js";

interface Case {
  id: string;
  files: Record<string, string>;
  error: boolean;
  errors: string[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/claude-code-verdicts.json", import.meta.url), "utf8")) as { tool: string; cases: Case[] };

/** Folders where skilldex's verdict differs from the validator's, and why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  // Deliberate: the runtime skips a project subagent without name or description; the validator is silent.
  proj: "project subagents without name/description fail, as Claude Code skips them at load",
};

describe(`claude-code verdicts agree with \`claude plugin validate\` (${fixture.tool}) on ${fixture.cases.length} recorded plugin folders`, () => {
  it.each(fixture.cases.filter((c) => !(c.id in KNOWN_DIFFERENCES)).map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const report = await scanTree(c.files);
    const failed = report.artifacts.filter((a) => a.status === "failed").map((a) => `${a.key}: ${a.reason?.message}`);
    expect({ error: failed.length > 0, failed }, `claude said: ${c.errors.join(" | ") || "no error"}`).toMatchObject({ error: c.error });
  });
});
