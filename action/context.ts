import type { Logger } from "../src/telemetry/log.js";
import type { Target } from "./event.js";
import { GitHubClient, runnerFetch } from "./github.js";
import type { Env, Runner } from "./runner.js";

/** What run() needs from the world; every field has the real one as its default. */
export interface RunDeps {
  env?: Env;
  /** Where the log and workflow commands go: the runner reads them from standard output. */
  write?: (text: string) => void;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Waits of the GitHub client: seconds scaled to milliseconds, and spacing of writes. */
  github?: { retryAfterBaseValue?: number; paceWrites?: boolean };
}

export interface Clock {
  now: () => Date;
  elapsed: () => number;
}

/** The world of one run, as run() set it up: every part of the Action reads and writes through it. */
export interface Context {
  env: Env;
  runner: Runner;
  log: Logger;
  clock: Clock;
  deps: RunDeps;
}

/** The client of the repository the run is for; without a token it reads public repositories only, and publishes nothing. */
export function githubClient({ env, log, deps }: Context, token: string, target: Pick<Target, "owner" | "repo">): GitHubClient {
  const baseUrl = env.GITHUB_API_URL || "https://api.github.com";
  return new GitHubClient({
    token,
    owner: target.owner,
    repo: target.repo,
    baseUrl,
    fetch: deps.fetch ?? runnerFetch(env, baseUrl),
    ...deps.github,
    logger: log,
  });
}
