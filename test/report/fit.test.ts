import { describe, expect, it } from "vitest";
import { fitSections, truncateBytes } from "../../src/report/fit.js";

describe("fitting text to a limit", () => {
  it("keeps everything when it fits", () => {
    const sections = [{ head: "# A" }, { head: "## B\n", items: ["- 1", "- 2"], noun: "things" }];
    expect(fitSections(sections, 1000, "see elsewhere")).toBe("# A\n\n## B\n\n- 1\n- 2");
  });

  it("cuts the longest lists first and leaves the short ones whole", () => {
    const sections = [
      { head: "## Short\n", items: ["- s1", "- s2"], noun: "short things" },
      { head: "## Long\n", items: Array.from({ length: 500 }, (_, i) => `- long item number ${i}`), noun: "long things" },
    ];
    const fitted = fitSections(sections, 2000, "see the report");

    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(2000);
    expect(fitted).toContain("- s1\n- s2");
    expect(fitted).toMatch(/_… \d+ more long things left out to stay within GitHub's size limit; see the report\._$/);
    expect(fitted).not.toContain("more short things");
  });

  it("never splits a character in two", () => {
    expect(truncateBytes("aé😀b", 3)).toBe("aé");
    expect(truncateBytes("aé😀b", 6)).toBe("aé");
    expect(truncateBytes("aé😀b", 7)).toBe("aé😀");
  });
});
