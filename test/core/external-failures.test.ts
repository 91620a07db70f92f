import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { RULES } from "../../src/rules/registry.js";
import { always } from "../../src/rules/types.js";
import { byKey, makeTree, pluginJson } from "../helpers/repo.js";

const marketplace = `{
  "name": "market",
  "owner": { "name": "acme" },
  "plugins": [
    { "name": "local", "source": "./plugins/local" },
    { "name": "ghost", "source": { "source": "github", "repo": "acme/ghost" } }
  ]
}
`;
const ghost = { name: "ghost", dir: "@external/ghost", marketplaceFile: ".claude-plugin/marketplace.json", index: 1, reason: "acme/ghost: HTTP 404, not found" };

function tree(): string {
  return makeTree({ ".claude-plugin/marketplace.json": marketplace, "plugins/local/.claude-plugin/plugin.json": pluginJson("local") });
}

describe("an external plugin that could not be fetched", () => {
  it("fails alone through the rule marketplace/external-source, pointing at its entry's source", async () => {
    const report = await scan({ root: tree(), external: { mounted: [], failures: [ghost] } });
    expect(byKey(report, "plugin:ghost")).toEqual({
      key: "plugin:ghost",
      type: "plugin",
      name: "ghost",
      path: "@external/ghost",
      files: [],
      status: "failed",
      change: null,
      reason: { code: "io_error", message: 'The external plugin "ghost" cannot be fetched: acme/ghost: HTTP 404, not found.' },
      findings: [
        {
          rule: "marketplace/external-source",
          severity: "error",
          message: 'The external plugin "ghost" cannot be fetched: acme/ghost: HTTP 404, not found.',
          file: ".claude-plugin/marketplace.json",
          line: 6,
          column: 34,
          endLine: 6,
          endColumn: 78,
        },
      ],
    });
    expect(byKey(report, "plugin:local").status).toBe("success");
    expect(byKey(report, "marketplace:repo").status).toBe("success");
  });

  it("takes the severity the rules give marketplace/external-source, like any finding", async () => {
    const rules = RULES.map((rule) => (rule.id === "marketplace/external-source" ? { ...rule, severity: always("warning") } : rule));
    const report = await scan({ root: tree(), rules, external: { mounted: [], failures: [ghost] } });
    expect(byKey(report, "plugin:ghost")).toMatchObject({ status: "success", reason: null, findings: [{ rule: "marketplace/external-source", severity: "warning" }] });
    expect(report.totals.failed).toBe(0);
  });

  it("is no duplicate of a copy of the plugin in the repository, which keeps the key", async () => {
    const rules = RULES.map((rule) => (rule.id === "marketplace/external-source" ? { ...rule, severity: always("warning") } : rule));
    const root = makeTree({ ".claude-plugin/marketplace.json": marketplace, "plugins/local/.claude-plugin/plugin.json": pluginJson("local"), "ghost/.claude-plugin/plugin.json": pluginJson("ghost") });
    const report = await scan({ root, rules, external: { mounted: [], failures: [ghost] } });
    expect(report.artifacts.filter((a) => a.key === "plugin:ghost").map((a) => `${a.path}=${a.status}:${a.findings.map((f) => f.rule).join()}`)).toEqual([
      "@external/ghost=success:marketplace/external-source",
      "ghost=success:",
    ]);
  });
});
