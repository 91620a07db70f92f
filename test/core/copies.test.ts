import { describe, expect, it } from "vitest";
import { scanTree } from "../helpers/repo.js";

// Copies of one file's frontmatter are parsed once; each copy must still be judged as a file of its own.
describe("copies of one artifact", () => {
  const frontmatter = "---\nname: copy\ndescription: [unclosed\n---";

  it("reports each copy's findings in its own file, at the same places, and what only one copy's bytes hold in that copy alone", async () => {
    const report = await scanTree(
      {
        "skills/copy/SKILL.md": `${frontmatter}\n\n# copy\n`,
        "backups/one/skills/copy/SKILL.md": `${frontmatter}\n\n# copy\n`,
        "backups/two/skills/copy/SKILL.md": `${frontmatter}\r\n\r\n# copy\r\n`,
      },
      { profile: "agentskills" },
    );
    const found = Object.fromEntries(report.artifacts.map((a) => [a.path, { status: a.status, findings: a.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`) }]));
    expect(found).toEqual({
      "backups/one/skills/copy": { status: "failed", findings: ["backups/one/skills/copy/SKILL.md:4:1 frontmatter/yaml"] },
      "backups/two/skills/copy": { status: "failed", findings: ["backups/two/skills/copy/SKILL.md:4:4 file/line-endings", "backups/two/skills/copy/SKILL.md:4:1 frontmatter/yaml"] },
      "skills/copy": { status: "failed", findings: ["skills/copy/SKILL.md:4:1 frontmatter/yaml"] },
    });
  });
});
