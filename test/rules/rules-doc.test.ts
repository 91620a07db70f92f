import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderRulesDoc } from "../../scripts/generate-rules-doc.js";
import { RULES } from "../../src/rules/registry.js";

describe("docs/rules.md", () => {
  it("is what the generator makes from the registry (regenerate with `npm run build && node lib/scripts/generate-rules-doc.js`)", () => {
    expect(readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8")).toBe(renderRulesDoc());
  });

  it("lists every rule once, with unique ids", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const doc = renderRulesDoc();
    for (const id of ids) expect(doc).toContain(`## \`${id}\``);
  });
});
