import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";

/** The fake GitHub's checks are what make the other tests mean something: it must refuse what GitHub refuses. */
let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

const annotation = { path: "a.md", start_line: 1, end_line: 1, annotation_level: "failure", message: "m" };
const valid = { name: "skilldex", head_sha: "a".repeat(40), status: "completed", conclusion: "success", completed_at: "2026-11-21T10:00:00.000Z", output: { title: "t", summary: "s", annotations: [annotation] } };

async function post(body: unknown): Promise<number> {
  const response = await fetch(`${github.url}/repos/o/r/check-runs`, { method: "POST", headers: { authorization: "token x", "content-type": "application/json" }, body: JSON.stringify(body) });
  return response.status;
}

describe("the fake GitHub", () => {
  it("accepts a valid check run and keeps it", async () => {
    expect(await post(valid)).toBe(201);
    expect(github.checkRuns[0]).toMatchObject({ head_sha: "a".repeat(40), conclusion: "success", annotations: [annotation] });
  });

  it.each([
    ["51 annotations in one request", { ...valid, output: { ...valid.output, annotations: Array(51).fill(annotation) } }, "51 items, more than 50"],
    ["a summary over 65,535 characters", { ...valid, output: { ...valid.output, summary: "x".repeat(65_536) } }, "65536 characters, more than 65535"],
    ["a conclusion GitHub does not know", { ...valid, conclusion: "passed" }, '"passed" is not one of'],
    ["no head_sha", { ...valid, head_sha: undefined }, "head_sha is required"],
    ["an annotation without a message", { ...valid, output: { ...valid.output, annotations: [{ ...annotation, message: undefined }] } }, "message is required"],
    ["a line that is not an integer", { ...valid, output: { ...valid.output, annotations: [{ ...annotation, start_line: 1.5 }] } }, "expected integer"],
    ["columns on an annotation over several lines", { ...valid, output: { ...valid.output, annotations: [{ ...annotation, end_line: 2, start_column: 1, end_column: 2 }] } }, "start_column and end_column need start_line equal to end_line"],
    ["a time that is not a date-time", { ...valid, completed_at: "yesterday" }, "is not a date-time"],
  ])("refuses %s with 422", async (_, body, problem) => {
    expect(await post(body)).toBe(422);
    expect(github.invalid.join("\n")).toContain(problem);
  });

  it("refuses an update that completes a run without a conclusion", async () => {
    await post(valid);
    const response = await fetch(`${github.url}/repos/o/r/check-runs/${github.checkRuns[0]?.id}`, { method: "PATCH", headers: { authorization: "token x" }, body: JSON.stringify({ status: "completed" }) });
    expect(response.status).toBe(422);
  });

  it("refuses an operation GitHub's description does not have, and a query parameter it does not know", async () => {
    const unknown = await fetch(`${github.url}/repos/o/r/check-runs/1/rerun-everything`, { method: "POST", headers: { authorization: "token x" } });
    const query = await fetch(`${github.url}/repos/o/r/git/trees/main?recursive=1&depth=2`);
    expect([unknown.status, query.status]).toEqual([422, 422]);
    expect(github.invalid).toEqual([expect.stringContaining("POST /repos/o/r/check-runs/1/rerun-everything: no operation"), "git/get-tree: unknown query parameter depth"]);
  });
});
