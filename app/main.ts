import { startServer } from "./server.js";

const server = await startServer(process.env);

// Orchestrators stop containers with SIGTERM; probot itself only listens for SIGINT.
process.once("SIGTERM", () => {
  // Work in flight is safe to cut: a write either landed with its sha or did not happen.
  setTimeout(() => process.exit(0), 10_000).unref();
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
