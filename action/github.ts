/**
 * The Action's side of the one GitHub client (src/github/): the runner's proxy-aware fetch, which
 * honours the runner's proxy settings. Everything else comes from src/github/.
 */

export { GitHubClient } from "../src/github/client.js";
export type { CreatedCheckRun } from "../src/github/checks.js";
export { GitHubError } from "../src/github/errors.js";

/**
 * The fetch of @actions/github, through the runner's proxy, when the runner names one for the API's
 * protocol; the global fetch otherwise. @actions/github brings undici and two Octokit plugins, a
 * megabyte of the bundle, so it is loaded only for a run that goes through a proxy, at its first request.
 */
export function runnerFetch(env: Record<string, string | undefined>, baseUrl: string): typeof globalThis.fetch {
  // The variables @actions/http-client reads; it also decides which hosts no_proxy exempts.
  const proxy = baseUrl.startsWith("https:") ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!proxy) return globalThis.fetch;
  let proxied: Promise<typeof globalThis.fetch> | undefined;
  return async (input, init) => {
    proxied ??= import("@actions/github/lib/utils").then(({ defaults }) => (defaults.request?.fetch as typeof globalThis.fetch | undefined) ?? globalThis.fetch);
    return (await proxied)(input, init);
  };
}
