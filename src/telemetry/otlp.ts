import type * as Sdk from "@opentelemetry/sdk-trace-base";
import type { BasicTracerProvider, ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Attributes } from "@opentelemetry/api";

const SDK = "@opentelemetry/sdk-trace-base";

/**
 * A tracer provider that batches spans to `url`. The SDK is an optional peer dependency of the
 * skilldex package and is loaded only here, so a run that exports no spans never reads it.
 */
export async function startOtlpTracerProvider(url: string, serviceName: string, headers: Record<string, string>): Promise<BasicTracerProvider> {
  const { BasicTracerProvider, BatchSpanProcessor } = await loadSdk();
  return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OtlpJsonExporter(url, serviceName, headers))] });
}

async function loadSdk(): Promise<typeof Sdk> {
  try {
    // A literal specifier, so that the Action's bundler still puts the SDK in a chunk of its own.
    return await import("@opentelemetry/sdk-trace-base");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes(SDK)) {
      throw new Error(`OTLP trace export is configured but ${SDK} is not installed: run \`npm i ${SDK}\` beside skilldex, or unset OTEL_EXPORTER_OTLP_ENDPOINT`, { cause: error });
    }
    throw error;
  }
}

interface ExportResult {
  code: 0 | 1;
  error?: Error;
}

/**
 * Sends spans as OTLP/HTTP JSON. The official exporter package pulls in protobuf and a transport
 * layer; the JSON encoding of a few spans is small enough to write here and keeps the bundle lean.
 */
export class OtlpJsonExporter implements SpanExporter {
  constructor(
    private readonly url: string,
    private readonly serviceName: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: toAttributes({ "service.name": this.serviceName }) },
          scopeSpans: [
            {
              scope: { name: "skilldex" },
              spans: spans.map((s) => ({
                traceId: s.spanContext().traceId,
                spanId: s.spanContext().spanId,
                parentSpanId: s.parentSpanContext?.spanId,
                name: s.name,
                kind: s.kind + 1,
                startTimeUnixNano: hrToNanos(s.startTime),
                endTimeUnixNano: hrToNanos(s.endTime),
                attributes: toAttributes(s.attributes),
                status: { code: s.status.code, message: s.status.message },
              })),
            },
          ],
        },
      ],
    };
    fetch(this.url, { method: "POST", headers: { "content-type": "application/json", ...this.headers }, body: JSON.stringify(body) })
      .then((response) => done(response.ok ? { code: 0 } : { code: 1, error: new Error(`OTLP endpoint answered ${response.status}`) }))
      .catch((error: Error) => done({ code: 1, error }));
  }

  async shutdown(): Promise<void> {}
}

function hrToNanos([seconds, nanos]: [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

function toAttributes(attributes: Attributes): { key: string; value: Record<string, unknown> }[] {
  const out: { key: string; value: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string") out.push({ key, value: { stringValue: value } });
    else if (typeof value === "boolean") out.push({ key, value: { boolValue: value } });
    else if (typeof value === "number") out.push({ key, value: Number.isInteger(value) ? { intValue: value } : { doubleValue: value } });
  }
  return out;
}
