import type * as OpenTelemetry from "@opentelemetry/api";
import type { Attributes, Span, SpanContext } from "@opentelemetry/api";
import { VERSION } from "../version.js";

type Api = typeof OpenTelemetry;

/**
 * Spans go through @opentelemetry/api once anything has registered with it (setupTracing, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, or a test's in-memory exporter). Until then the API's tracer
 * would be a no-op, so no span is made and the API is not even loaded: a run without tracing
 * starts a thirtieth of a second sooner.
 */
let api: Api | null = null;

/** Where every copy of @opentelemetry/api 1.x keeps what was registered with it. */
const REGISTRY = Symbol.for("opentelemetry.js.api.1");

function registered(): boolean {
  return (globalThis as Record<symbol, unknown>)[REGISTRY] !== undefined;
}

async function loadApi(): Promise<Api | null> {
  if (api === null && registered()) api = await import("@opentelemetry/api");
  return api;
}

/** The span of a run that records none: what the API's own no-op tracer would give. */
const INVALID_CONTEXT: SpanContext = { traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 };
const NOOP_SPAN: Span = {
  spanContext: () => INVALID_CONTEXT,
  setAttribute: () => NOOP_SPAN,
  setAttributes: () => NOOP_SPAN,
  addEvent: () => NOOP_SPAN,
  addLink: () => NOOP_SPAN,
  addLinks: () => NOOP_SPAN,
  setStatus: () => NOOP_SPAN,
  updateName: () => NOOP_SPAN,
  end: () => undefined,
  isRecording: () => false,
  recordException: () => undefined,
};

/** Runs `fn` inside a span, recording its outcome; attributes set on the span inside stay with it. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const otel = await loadApi();
  if (!otel) return fn(NOOP_SPAN);
  return otel.trace.getTracer("skilldex", VERSION).startActiveSpan(name, { attributes }, (span) => runInSpan(otel, span, fn));
}

/** Runs one stage as a child span of `parent`; the span records the error if the stage throws. */
export async function withChildSpan<T>(parent: Span, name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const otel = await loadApi();
  if (!otel) return fn(NOOP_SPAN);
  return runInSpan(otel, startChildSpan(parent, name, attributes), fn);
}

async function runInSpan<T>(otel: Api, span: Span, fn: (span: Span) => Promise<T> | T): Promise<T> {
  try {
    const result = await fn(span);
    span.setStatus({ code: otel.SpanStatusCode.OK });
    return result;
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: otel.SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

export interface TracingHandle {
  /** Flushes and stops the exporter; call before the process ends. */
  shutdown(): Promise<void>;
}

/**
 * Registers an OTLP/HTTP (JSON) exporter when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-only
 * variable) is set. The SDK is imported only then, so a run without tracing never loads it.
 */
export async function setupTracing(env: NodeJS.ProcessEnv, serviceName: string): Promise<TracingHandle> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` : undefined);
  if (!endpoint) return { shutdown: async () => {} };
  const { startOtlpTracerProvider } = await import("./otlp.js");
  const provider = await startOtlpTracerProvider(endpoint, serviceName, parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS));
  api ??= await import("@opentelemetry/api");
  api.trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}

/** `key1=value1,key2=value2`, as the OpenTelemetry specification writes headers in the environment. */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of (text ?? "").split(",")) {
    const i = part.indexOf("=");
    if (i > 0) headers[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return headers;
}

/**
 * A child span of `parent`, parented explicitly: a process without a context manager (the
 * Action's) would otherwise start every stage as a trace of its own. A parent that records
 * nothing has children that record nothing.
 */
export function startChildSpan(parent: Span, name: string, attributes: Attributes = {}): Span {
  if (parent === NOOP_SPAN || api === null) return NOOP_SPAN;
  return api.trace.getTracer("skilldex", VERSION).startSpan(name, { attributes }, api.trace.setSpan(api.context.active(), parent));
}
