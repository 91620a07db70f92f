import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { RecentScans, scanRequestOf } from "../../app/scan-events.js";

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
const examples = (name: string) => (definitions.find((d) => d.name === name)?.examples ?? []).map((e) => structuredClone(e));

describe("which deliveries ask for a scan", () => {
  test("a push to a branch does, compared with its `before`; a tag, a deleted branch or a new branch's missing `before` does not compare", () => {
    const [push] = examples("push") as [Record<string, unknown>];
    expect(scanRequestOf("push", push)).toBeNull(); // the example pushes a tag
    const branch = { ...push, ref: "refs/heads/main", deleted: false, before: "a".repeat(40), after: "b".repeat(40) };
    expect(scanRequestOf("push", branch)).toMatchObject({ trigger: "push", headSha: "b".repeat(40), branch: "main", base: "a".repeat(40), automatic: true });
    expect(scanRequestOf("push", { ...branch, before: "0".repeat(40) })?.base).toBeNull();
    expect(scanRequestOf("push", { ...branch, deleted: true, after: "0".repeat(40) })).toBeNull();
  });

  test("a pull request opened, pushed to or reopened does, compared with its base; a fork's scans under its pull ref", () => {
    const sync = examples("pull_request").find((e) => e.action === "synchronize") as { pull_request: { number: number; head: { sha: string; ref: string; repo: { full_name: string } }; base: { sha: string } } };
    const request = scanRequestOf("pull_request", sync);
    expect(request).toMatchObject({ trigger: "pull_request", headSha: sync.pull_request.head.sha, base: sync.pull_request.base.sha, pullRequest: sync.pull_request.number, branch: sync.pull_request.head.ref });
    sync.pull_request.head.repo.full_name = "contributor/fork";
    expect(scanRequestOf("pull_request", sync)?.branch).toBe(`pull/${sync.pull_request.number}/head`);
    for (const e of examples("pull_request").filter((x) => !["opened", "synchronize", "reopened"].includes(String(x.action)))) expect(scanRequestOf("pull_request", e)).toBeNull();
  });

  test("check suites requested and re-requested and check runs re-requested do; a requested suite counts as automatic", () => {
    for (const e of examples("check_suite")) {
      const request = scanRequestOf("check_suite", e);
      if (e.action === "requested") expect(request?.automatic).toBe(true);
      else if (e.action === "rerequested") expect(request?.automatic).toBe(false);
      else expect(request).toBeNull();
    }
    for (const e of examples("check_run")) expect(scanRequestOf("check_run", e) !== null).toBe(e.action === "rerequested");
  });

  test("the check suite GitHub sends with a push does not scan the pushed commit again", () => {
    const recent = new RecentScans(60_000, 2);
    expect(recent.check("1/o/r@a", 0)).toBe(false);
    expect(recent.check("1/o/r@a", 1000)).toBe(true);
    expect(recent.check("1/o/r@a", 61_001)).toBe(false);
    recent.check("1/o/r@b", 61_002);
    recent.check("1/o/r@c", 61_003);
    // Bounded: the oldest is forgotten.
    expect(recent.check("1/o/r@a", 61_004)).toBe(false);
  });
});
