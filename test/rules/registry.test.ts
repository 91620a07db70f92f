import { describe, expect, it } from "vitest";
import { CHECK_ORDER } from "../../src/rules/order.js";
import { RULES } from "../../src/rules/registry.js";
import { artifactReason } from "../../src/rules/run.js";
import type { Finding } from "../../src/model.js";

describe("the rule registry", () => {
  it("lists every rule once, sorted by id", () => {
    const ids = RULES.map((r) => r.id);
    expect(ids).toEqual([...new Set(ids)].sort());
  });

  it("has a place in the check order for every rule, and nothing else", () => {
    expect([...CHECK_ORDER].sort()).toEqual(RULES.map((r) => r.id));
  });
});

describe("an artifact's reason", () => {
  const finding = (rule: string, severity: Finding["severity"], message: string): Finding => ({ rule, severity, message, file: "a.md", line: 1, column: 1, endLine: 1, endColumn: 1 });

  it("is the first error's code and message, counting the other errors", () => {
    const findings = [finding("file/line-endings", "notice", "CRLF."), finding("file/no-bom", "error", "A BOM."), finding("frontmatter/yaml", "error", "Bad YAML.")];
    expect(artifactReason(findings, ["invalid_structure", "invalid_structure", "yaml_parse_error"])).toEqual({ code: "invalid_structure", message: "A BOM. (and 1 more error)" });
  });

  it("is null without an error", () => {
    expect(artifactReason([finding("file/line-endings", "warning", "CRLF.")], ["invalid_structure"])).toBeNull();
  });
});
