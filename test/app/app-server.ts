import { Writable } from "node:stream";
import { type AppServer, type ServerOptions, startServer } from "../../app/server.js";
import { freePort, type LogLine, logLinesOf, SECRET } from "./app-process.js";
import { PRIVATE_KEY } from "./helpers.js";

/**
 * The App's server in the test's own process, as `npm run app` configures it, against a GitHub
 * at `githubHost` (host:port, over HTTP), scanning through the API source, its JSON log kept.
 */
export interface TestServer {
  app: AppServer;
  base: string;
  /** Its JSON log lines so far. */
  lines(): LogLine[];
  /** Everything it logged. */
  output(): string;
}

export async function startTestServer(githubHost: string, env: Record<string, string> = {}, options: Omit<ServerOptions, "logDestination" | "log"> = {}): Promise<TestServer> {
  let output = "";
  const port = await freePort();
  const app = await startServer(
    { NODE_ENV: "test", APP_ID: "123", PRIVATE_KEY, WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", GHE_HOST: githubHost, GHE_PROTOCOL: "http", LOG_LEVEL: "info", LOG_FORMAT: "json", SCAN_SOURCE: "api", ...env },
    {
      ...options,
      logDestination: new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          output += chunk.toString();
          done();
        },
      }),
    },
  );
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    lines: () => logLinesOf(output),
  };
}
