import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkReleaseFiles, type ReleaseFiles } from "../../scripts/check-release.js";

const good: ReleaseFiles = {
  packageJson: JSON.stringify({ version: "1.2.0" }),
  versionTs: 'export const VERSION = "1.2.0";\n',
  changelog: "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-11-21\n\n### Added\n\n- x\n",
  actionYml: "name: skilldex\nruns:\n  using: node24\n  main: dist/index.js\n",
  distExists: true,
};
const failing = (files: ReleaseFiles) => checkReleaseFiles(files).filter((c) => !c.ok).map((c) => c.name);

describe("the release check", () => {
  it("passes when versions, changelog and action.yml agree", () => {
    expect(failing(good)).toEqual([]);
  });

  it("catches each kind of disagreement", () => {
    expect(failing({ ...good, versionTs: 'export const VERSION = "1.1.0";' })).toEqual(["src/version.ts agrees"]);
    expect(failing({ ...good, changelog: "## [Unreleased]\n\n- pending\n\n## [1.1.0] - 2026-01-01\n" })).toEqual([
      "CHANGELOG.md has a section for the version",
      "nothing is left under Unreleased",
    ]);
    expect(failing({ ...good, actionYml: "runs:\n  using: node20\n  main: dist/index.js\n" })).toEqual(["action.yml runs on node24"]);
    expect(failing({ ...good, distExists: false })).toEqual(["action.yml runs the committed bundle"]);
    expect(failing({ ...good, packageJson: JSON.stringify({ version: "1.2" }), versionTs: 'VERSION = "1.2"', changelog: "## [1.2]\n" })).toEqual(["package.json version is semantic"]);
  });

  it("agrees with this repository's own version and changelog", () => {
    const checks = checkReleaseFiles({
      packageJson: readFileSync("package.json", "utf8"),
      versionTs: readFileSync("src/version.ts", "utf8"),
      changelog: readFileSync("CHANGELOG.md", "utf8"),
      actionYml: null,
      distExists: false,
    });
    // Between releases the changelog gathers entries under Unreleased; only a release must empty it.
    expect(checks.filter((c) => !c.ok && !c.name.startsWith("action.yml") && c.name !== "nothing is left under Unreleased").map((c) => c.name)).toEqual([]);
  });
});
