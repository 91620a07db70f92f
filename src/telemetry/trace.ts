import { context, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { VERSION } from "../version.js";

/**
 * Spans go through @opentelemetry/api. Until a tracer provider is registered (setupTracing, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, or a test's in-memory exporter) the API's tracer is a no-op,
 * so spans cost nothing measurable.
 */
export function tracer() {
  return trace.getTracer("skilldex", VERSION);
}

/** Runs `fn` inside a span, recording its outcome; attributes set on the span inside stay with it. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, (span) => runInSpan(span, fn));
}

/** Runs one stage as a child span of `parent`; the span records the error if the stage throws. */
export async function withChildSpan<T>(parent: Span, name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return runInSpan(startChildSpan(parent, name, attributes), fn);
}

async function runInSpan<T>(span: Span, fn: (span: Span) => Promise<T> | T): Promise<T> {
  try {
    const result = await fn(span);
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
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
  trace.setGlobalTracerProvider(provider);
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
 * Action's) would otherwise start every stage as a trace of its own.
 */
export function startChildSpan(parent: Span, name: string, attributes: Attributes = {}): Span {
  return tracer().startSpan(name, { attributes }, trace.setSpan(context.active(), parent));
}
