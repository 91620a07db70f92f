import { describe, expect, it } from "vitest";
import { byKey, scanTree } from "../helpers/repo.js";

/** obra/superpowers skills/brainstorming/SKILL.md at 44c9b2d6e889982ac18c27d05a19fefe335194e1 (MIT, Copyright (c) 2025 Jesse Vincent). */
const REAL = "---\nname: brainstorming\ndescription: \"You MUST use this before any creative work - creating features, building components, adding functionality, or modifying behavior. Explores user intent, requirements and design before implementation.\"\n---\n\n# Brainstorming Ideas Into Designs\n\nHelp turn ideas into fully formed designs and specs through natural collaborative dialogue.\n\nStart by understanding the current project context, then ask questions one at a time to refine the idea. Once you understand what you're building, present the design and get user approval.";

describe("security/invisible-unicode in bodies", () => {
  it("finds a bidirectional override and a tag character in a skill's body, at their line and column", async () => {
    const lines = REAL.split("\n");
    lines[9] = `Approved:\u202Eyes\u202C and ${"\u{E0069}\u{E0067}"}ok`;
    const report = await scanTree({ "skills/brainstorming/SKILL.md": `${lines.join("\n")}\n` });
    const found = byKey(report, "skill:brainstorming").findings.filter((f) => f.rule === "security/invisible-unicode");
    expect(found.map((f) => [f.line, f.column, f.endColumn, f.severity])).toEqual([
      [10, 10, 11, "warning"],
      [10, 14, 15, "warning"],
      [10, 20, 24, "warning"],
    ]);
    expect(found[0]?.message).toBe("The file holds an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE) here: a reviewer does not see them, the model reads them.");
    expect(found[2]?.message).toContain("2 invisible characters (U+E0069 TAG CHARACTER, U+E0067 TAG CHARACTER)");
  });

  it("finds hidden characters among the dashes, quotes, arrows and box-drawing lines whose encodings start with the same byte", async () => {
    const body = ["skills/", "├── a — “b” → c…", "│   └── d\u2060e", "└── f\u200F ‘g’ • h", "\u{E0041}tail"].join("\n");
    const report = await scanTree({ "skills/tree/SKILL.md": `---\nname: tree\ndescription: Draws a tree.\n---\n\n${body}\n` });
    const found = byKey(report, "skill:tree").findings.filter((f) => f.rule === "security/invisible-unicode");
    expect(found.map((f) => [f.line, f.column, f.endColumn])).toEqual([
      [8, 10, 11],
      [9, 6, 7],
      [10, 1, 3],
    ]);
  });

  it("leaves alone emoji joined by zero-width joiners, Persian spelled with a non-joiner, and a byte order mark at the start", async () => {
    const report = await scanTree({
      "agents/a.md": "\uFEFF---\nname: a\ndescription: The a agent.\n---\n\nWe 👩\u200D💻 code. می\u200Cخواهم\n",
      "commands/c.md": "---\ndescription: Says hi.\n---\n\nHi\u200Bthere, and a stray \uFEFF mark.\n",
    });
    expect(byKey(report, "agent:a").findings.filter((f) => f.rule === "security/invisible-unicode")).toEqual([]);
    expect(byKey(report, "command:c").findings.filter((f) => f.rule === "security/invisible-unicode").map((f) => [f.line, f.column])).toEqual([
      [5, 3],
      [5, 23],
    ]);
  });

  it("finds the hidden character in the one copy that holds it, whatever order copies with the same frontmatter are read in", async () => {
    const hidden = REAL.replace("natural collaborative", "natural\u200Bcollaborative");
    for (const [first, second] of [[REAL, hidden], [hidden, REAL]] as const) {
      const report = await scanTree({ "skills/brainstorming/SKILL.md": `${first}\n`, "skills/brainstorming-copy/SKILL.md": `${second}\n` });
      const holding = report.artifacts.filter((a) => a.findings.some((f) => f.rule === "security/invisible-unicode")).map((a) => a.path);
      expect(holding).toEqual([first === hidden ? "skills/brainstorming" : "skills/brainstorming-copy"]);
    }
  });
});
