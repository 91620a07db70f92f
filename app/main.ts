import { setupTracing } from "../src/telemetry/trace.js";
import { DRAIN_MS, MissingWebhookSecret, startServer } from "./server.js";

// Spans go to OTEL_EXPORTER_OTLP_ENDPOINT when it is set; otherwise tracing costs nothing.
const tracing = await setupTracing(process.env, "skilldex-app");
const server = await startServer(process.env).catch(async (error: unknown) => {
  if (!(error instanceof MissingWebhookSecret)) throw error;
  // A setting to fix, not a bug: one line that names it, no stack trace.
  process.stderr.write(`skilldex app: ${error.message}\n`);
  await tracing.shutdown();
  process.exit(1);
});

/**
 * Stops taking webhooks and finishes the deliveries already acknowledged first; one cut off past
 * the deadline is safe too: a write either landed with its sha or did not happen.
 */
function shutdown(): void {
  setTimeout(() => process.exit(0), DRAIN_MS + 5000).unref();
  Promise.all([server.stop(), tracing.shutdown()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}

// Orchestrators stop containers with SIGTERM; probot's own SIGINT handler would exit without
// waiting for the deliveries in progress, so it gives way to the same shutdown.
process.removeAllListeners("SIGINT");
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
