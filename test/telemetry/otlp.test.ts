import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/pipeline/pipeline.js";
import { setupTracing } from "../../src/telemetry/trace.js";
import { makeTree, skill } from "../helpers/repo.js";

describe("OTLP export", () => {
  it("sends the scan's spans to OTEL_EXPORTER_OTLP_ENDPOINT as OTLP/HTTP JSON", async () => {
    // The OTLP JSON shape, loosely: the assertions below say what matters.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const received: { url: string; headers: Record<string, unknown>; body: any }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk)).on("end", () => {
        received.push({ url: req.url ?? "", headers: req.headers, body: JSON.parse(body) });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const tracing = await setupTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_HEADERS: "x-team=docs" }, "skilldex-test");
      await scan({ root: makeTree({ "skills/a/SKILL.md": skill("a") }) });
      await tracing.shutdown();
    } finally {
      server.close();
    }
    expect(received[0]?.url).toBe("/v1/traces");
    expect(received[0]?.headers["x-team"]).toBe("docs");
    const resource = received[0]?.body.resourceSpans[0];
    expect(resource.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "skilldex-test" } }]);
    const names = received.flatMap((r) => r.body.resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name));
    expect(names).toContain("skilldex.scan");
    expect(names).toContain("skilldex.validation");
  });

  it("does nothing without an endpoint", async () => {
    const tracing = await setupTracing({}, "skilldex-test");
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });
});
