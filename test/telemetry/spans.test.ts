import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { git, makeGitRepo, skill, writeTree } from "../helpers/repo.js";

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

describe("traces", () => {
  it("records a span for the scan and one for each stage, with counts, strategy and outcome", async () => {
    const root = makeGitRepo({ "skills/a/SKILL.md": skill("a") });
    writeTree(root, { ".claude/agents/b.md": "broken" });
    await scan({ root, base: git(root, "rev-parse", "HEAD").trim() });
    const spans = exporter.getFinishedSpans();
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["skilldex.changes", "skilldex.discovery", "skilldex.scan", "skilldex.source", "skilldex.validation"]);
    const root_ = byName["skilldex.scan"]!;
    expect(root_.attributes).toMatchObject({ "skilldex.artifacts": 2, "skilldex.failed": 1, "skilldex.strategy": "workspace", "skilldex.outcome": "failed" });
    for (const name of ["skilldex.source", "skilldex.discovery", "skilldex.validation", "skilldex.changes"]) {
      expect(byName[name]!.parentSpanContext?.spanId, name).toBe(root_.spanContext().spanId);
      expect(byName[name]!.spanContext().traceId).toBe(root_.spanContext().traceId);
    }
    expect(byName["skilldex.source"]!.attributes["skilldex.files"]).toBe(2);
  });

  it("marks the scan span as an error when the run fails", async () => {
    exporter.reset();
    await expect(scan({ root: makeGitRepo({ "x.txt": "x" }), base: "nope" })).rejects.toThrow();
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toMatchObject({ code: 2, message: expect.stringMatching(/cannot compare with nope/) });
  });
});
