import { defaults } from "@actions/github/lib/utils";

/**
 * The Action's side of the one GitHub client (src/github/): the runner's proxy-aware fetch, which
 * honours the runner's proxy settings. Everything else comes from src/github/.
 */

export { GitHubClient } from "../src/github/client.js";
export type { CreatedCheckRun } from "../src/github/checks.js";
export { GitHubError } from "../src/github/errors.js";

/** The fetch of @actions/github, through the runner's proxy when it has one; the global fetch otherwise. */
export function runnerFetch(): typeof globalThis.fetch {
  return (defaults.request?.fetch as typeof globalThis.fetch | undefined) ?? globalThis.fetch;
}
