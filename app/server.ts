import { type Logger, type ProbotOctokit, run, type Server } from "probot";
import { type AppSettings, createApp } from "./app.js";
import { healthHandler } from "./health.js";

export interface ServerOptions {
  log?: Logger;
  Octokit?: typeof ProbotOctokit;
  settings?: Partial<AppSettings>;
}

/**
 * Starts probot's HTTP server with the app and the health endpoint, configured by probot's own
 * variables (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, GHE_HOST,
 * GHE_PROTOCOL, LOG_LEVEL) plus ENABLE_SKIP_PREFERENCES.
 */
export async function startServer(env: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<Server> {
  const app = createApp(options.settings, env);
  return await run(
    async (probot, appOptions) => {
      await app(probot, appOptions);
      appOptions.addHandler(healthHandler);
    },
    { env, ...(options.log ? { log: options.log } : {}), ...(options.Octokit ? { Octokit: options.Octokit } : {}) },
  );
}
