import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeControls } from "../../src/parse/text.js";
import { renderText } from "../../src/report/text.js";
import { WorkspaceSource } from "../../src/source/workspace.js";
import { byKey, makeTree, scanTree, skill } from "../helpers/repo.js";

describe("names from the repository in the text report", () => {
  it("cannot forge a line of the report, nor reach the terminal as an escape sequence", async () => {
    const forged = "x\n✓ 9 imported · ○ 0 skipped · ✗ 0 failed\n\u001b[2J\u001b]0;owned\u0007";
    const report = await scanTree({
      [`.claude/commands/${forged}.md`]: "---\ndescription: [unclosed\n---\n",
      ".github/skilldex.yml": `skip:\n  - key: skill:gone\n    reason: "a\\nb\\u001b[31m"\n  - key: skill:kept\n    reason: "line one\\n✓ 9 imported\\u2028\\u001b[0m"\n`,
      "skills/kept/SKILL.md": skill("kept"),
    });
    const text = renderText(report);
    expect(text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    expect(text.split("\n").filter((line) => line.startsWith("✓"))).toEqual(["✓ 1 imported · ○ 1 skipped · ✗ 0 failed"]);
    expect(text).toContain("x\\n✓ 9 imported · ○ 0 skipped · ✗ 0 failed\\n\\u001b[2J\\u001b]0;owned\\u0007");
    expect(text).toContain("line one\\n✓ 9 imported\\u2028\\u001b[0m");
  });

  it("prints ordinary names exactly as they are", () => {
    expect(escapeControls("skills/café/SKILL.md:2:7 \\ backslash, tabs\u00a0and emoji 👩‍💻")).toBe("skills/café/SKILL.md:2:7 \\ backslash, tabs\u00a0and emoji 👩‍💻");
    expect(escapeControls("a\tb\\c")).toBe("a\\tb\\\\c");
  });
});

describe("a folder whose name is not valid UTF-8", () => {
  const makeLatin1Tree = (): string => {
    const root = makeTree({ "skills/plain/SKILL.md": skill("plain") });
    // caf\xe9: Latin-1, as an old archive or a Windows share leaves it.
    const folder = Buffer.concat([Buffer.from(join(root, "skills/")), Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
    mkdirSync(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from("/SKILL.md")]), skill("caf"));
    return root;
  };

  it("is listed under its name decoded, with a warning naming its bytes, and its files can be read", async () => {
    const source = new WorkspaceSource(makeLatin1Tree());
    const listing = await source.listFiles();
    expect(listing.files).toEqual(["skills/caf\ufffd/SKILL.md", "skills/plain/SKILL.md"]);
    expect(listing.warnings).toEqual(["skills/caf\\xe9: the name is not valid UTF-8; listed as skills/caf\ufffd"]);
    const read = await source.readFile("skills/caf\ufffd/SKILL.md", 1024);
    expect(read.ok && Buffer.from(read.bytes).toString("utf8")).toBe(skill("caf"));
  });

  it("has its skills indexed and is not called a dangling symlink", async () => {
    const report = await scanTree({}, { root: makeLatin1Tree() });
    expect(byKey(report, "skill:caf\ufffd").status).toBe("success");
    expect(byKey(report, "skill:plain").status).toBe("success");
    expect(report.warnings.join("\n")).not.toMatch(/dangling/);
  });
});
