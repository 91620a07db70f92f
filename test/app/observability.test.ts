import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AppMetrics } from "../../app/metrics.js";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { loadApp, newFake, type TestApp } from "./helpers.js";

const FILE = ".github/skilldex.yml";
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

let fake: FakeGitHub;
let metrics: AppMetrics;
let app: TestApp;

beforeEach(async () => {
  fake = newFake(FakeGitHub);
  fake.openPull(42, { head: "feature" });
  serveThroughNock(fake);
  metrics = new AppMetrics();
  app = await loadApp({ metrics });
  exporter.reset();
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the app made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

describe("metrics", () => {
  test("count commands by name and outcome, commits, GitHub requests by status, and the delivery's latency", async () => {
    fake.grant("helper", "triage");
    await app.comment({ body: "/skip skill:pdf\n/skip skill:nope\n/skips" });
    await app.comment({ body: "/unskip skill:pdf", login: "helper" });
    await app.comment({ body: "Looks good to me" });

    expect(metrics.commands.get({ command: "skip", outcome: "done" })).toBe(1);
    expect(metrics.commands.get({ command: "skip", outcome: "unknown_key" })).toBe(1);
    expect(metrics.commands.get({ command: "skips", outcome: "done" })).toBe(1);
    expect(metrics.commands.get({ command: "unskip", outcome: "forbidden" })).toBe(1);
    expect(metrics.commits.get()).toBe(1);
    // Every request GitHub saw is counted once, the installation token's included.
    const counted = ["200", "201", "404"].reduce((n, status) => n + metrics.githubRequests.get({ status }), 0);
    expect(counted).toBe(fake.requests.length);
    expect(metrics.githubRequests.get({ status: "201" })).toBeGreaterThanOrEqual(1);
    expect(metrics.webhooks.count({ event: "issue_comment.created", result: "commands" })).toBe(2);
    expect(metrics.webhooks.count({ event: "issue_comment.created", result: "ignored" })).toBe(1);

    const text = metrics.render();
    expect(text).toContain('skilldex_commands_total{command="skip",outcome="done"} 1');
    expect(text).toContain("# TYPE skilldex_webhook_duration_seconds histogram");
    expect(text).toMatch(/skilldex_webhook_duration_seconds_bucket\{event="issue_comment.created",result="commands",le="\+Inf"\} 2/);
  });

  test("count a conflict that was retried and a pull request that was opened", async () => {
    fake.openPull(43, { head: "patch-1", fork: true });
    let raced = false;
    fake.beforeWrite = ({ branch }) => {
      if (raced) return;
      raced = true;
      fake.commit(branch, { [FILE]: "skip:\n  - key: skill:docx\n" }, "hand edit");
    };
    await app.comment({ body: "/skip skill:pdf", number: 43 });

    expect(metrics.conflicts.get()).toBe(1);
    expect(metrics.pullRequests.get()).toBe(1);
    expect(metrics.commits.get()).toBe(1);
    // The file appeared on the new branch after the app read it: GitHub asks for its sha.
    expect(metrics.githubRequests.get({ status: "422" })).toBe(1);
  });

  test("count a refused write as an error", async () => {
    fake.beforeWrite = () => ({ status: 403, body: { message: "Resource not accessible by integration" } });
    await app.comment({ body: "/skip skill:pdf" });

    expect(metrics.commands.get({ command: "skip", outcome: "error" })).toBe(1);
    expect(metrics.githubRequests.get({ status: "403" })).toBe(1);
    expect(metrics.commits.get()).toBe(0);
  });
});

describe("traces", () => {
  const byName = (spans: ReadableSpan[]) => Object.fromEntries(spans.map((s) => [s.name, s]));

  test("a command is a span with a child for each stage, carrying command, key count, outcome and repository", async () => {
    await app.comment({ body: "/skip legacy/ superseded" }, "delivery-traced");

    const spans = byName(exporter.getFinishedSpans());
    expect(Object.keys(spans).sort()).toEqual(["skilldex.answer", "skilldex.command", "skilldex.permission", "skilldex.read", "skilldex.resolve", "skilldex.write"]);
    const root = spans["skilldex.command"] as ReadableSpan;
    expect(root.attributes).toEqual({
      "skilldex.command": "skip",
      "skilldex.commands": 1,
      "skilldex.keys": 2,
      "skilldex.outcome": "done",
      "skilldex.repository": fake.fullName,
      "github.delivery": "delivery-traced",
    });
    for (const stage of ["skilldex.read", "skilldex.permission", "skilldex.resolve", "skilldex.write", "skilldex.answer"]) {
      expect(spans[stage]?.parentSpanContext?.spanId, stage).toBe(root.spanContext().spanId);
      expect(spans[stage]?.spanContext().traceId).toBe(root.spanContext().traceId);
    }
    expect(spans["skilldex.permission"]?.attributes).toMatchObject({ "skilldex.role": "write", "skilldex.can_write": "true" });
    expect(spans["skilldex.write"]?.attributes).toMatchObject({ "skilldex.keys": 2, "skilldex.written_to": "commit" });
  });

  test("a stage GitHub refused is marked as an error, and the command span says the command failed", async () => {
    fake.beforeWrite = () => ({ status: 403, body: { message: "Resource not accessible by integration" } });
    await app.comment({ body: "/skip skill:pdf" });

    const spans = byName(exporter.getFinishedSpans());
    expect(spans["skilldex.write"]?.status).toMatchObject({ code: 2, message: expect.stringContaining("contents: write") });
    expect(spans["skilldex.command"]?.attributes["skilldex.outcome"]).toBe("failed");
  });

  test("a comment without commands makes no span", async () => {
    await app.comment({ body: "Nice work" });

    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe("logs", () => {
  test("every line of a delivery carries its id as traceId and the repository, GitHub's request lines included", async () => {
    await app.comment({ body: "/skip skill:pdf" }, "delivery-logged");

    const lines = app.records.filter((r) => r.traceId === "delivery-logged" || r.id === "delivery-logged");
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatchObject({ traceId: "delivery-logged", repository: fake.fullName });
    expect(lines.some((l) => l.name === "github" && /GitHub request: PUT/.test(l.msg ?? ""))).toBe(true);
    expect(lines.find((l) => l.msg === "skilldex command handled")).toMatchObject({ command: "skip", outcome: "done", keys: ["skill:pdf"], durationMs: expect.any(Number) });
  });
});
