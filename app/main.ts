import { startServer } from "./server.js";

const server = await startServer(process.env);

// Orchestrators stop containers with SIGTERM; probot itself only listens for SIGINT.
process.once("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
