import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { createCheckRun } from "../../src/github/checks.js";
import { GitHubClient } from "../../src/github/client.js";
import { GitHubError } from "../../src/github/errors.js";
import { ApiSource } from "../../src/source/api.js";
import { freePort } from "../app/app-process.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { makeTree } from "../helpers/repo.js";
import { makeServedRepo } from "../source/servers.js";

/**
 * What a person reads when a call to GitHub fails, from the CLI's --repo and from the client the
 * Action publishes with: the one translation of src/github/errors.ts.
 */

const TOKEN = "ghp_errorsTestToken0123456789abcdefABCD";
const repo = makeServedRepo({ "skills/a/SKILL.md": "---\nname: a\ndescription: A.\n---\n" });
const github = await startFakeGitHub({ "acme/lib": repo.bare });
afterAll(() => github.close());
beforeEach(() => {
  github.override(null);
  github.requests.length = 0;
});

async function scanRepo(name: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runCli(["scan", "--repo", name, "--source", "api"], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: makeTree({}), env: { GITHUB_API_URL: github.url, ...env } });
  expect(stderr).not.toContain(TOKEN);
  return { code, stderr: stderr.trim() };
}

async function openFailure(baseUrl: string): Promise<string> {
  const error = await ApiSource.open({ owner: "acme", repo: "lib", token: TOKEN, baseUrl, retryDelayMs: 1, select: () => [] }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  expect(error?.message).not.toContain(TOKEN);
  return error?.message ?? "";
}

describe("a failed GitHub call, as the person running skilldex reads it", () => {
  it("names the host that refused the connection, and never calls it an HTTP status", async () => {
    const port = await freePort();
    const message = await openFailure(`http://127.0.0.1:${port}`);
    expect(message).toBe(`could not read the repository in acme/lib: connection refused to 127.0.0.1:${port}`);
    expect(message).not.toMatch(/\b500\b/);
  });

  it("says a 404 means the repository is not there or the token cannot read it, and which permission reading needs", async () => {
    const { code, stderr } = await scanRepo("acme/gone", { GITHUB_TOKEN: TOKEN });
    expect(code).toBe(2);
    expect(stderr).toBe("skilldex: error: acme/gone: GET /repos/acme/gone: HTTP 404, not found: GitHub answered 404, so acme/gone does not exist or the token cannot read acme/gone (it needs `metadata: read`)");
  });

  it("says a request without a token sees public repositories only", async () => {
    const { stderr } = await scanRepo("acme/private", {});
    expect(stderr).toContain("GitHub answered 404, so acme/private does not exist or a request without a token cannot see acme/private (set a token with `metadata: read`)");
  });

  it("says a 401 means the token was refused, without the token even when GitHub echoes it", async () => {
    github.override(() => ({ status: 401, body: { message: `Bad credentials for ${TOKEN}` } }));
    const { code, stderr } = await scanRepo("acme/lib", { GITHUB_TOKEN: TOKEN });
    expect(code).toBe(2);
    expect(stderr).toBe("skilldex: error: acme/lib: GitHub did not accept the token when skilldex tried to read the repository in acme/lib (401: Bad credentials for [REDACTED]): it is missing, expired or revoked.");
  });

  it("says when a used-up rate limit resets, and that a token raises it", async () => {
    const reset = Math.floor(Date.UTC(2030, 0, 1, 12, 0, 0) / 1000);
    github.override(() => ({ status: 403, body: { message: "API rate limit exceeded for 203.0.113.7." }, headers: { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) } }));
    const { code, stderr } = await scanRepo("acme/lib", {});
    expect(code).toBe(2);
    expect(stderr).toBe(
      "skilldex: error: acme/lib: GitHub's rate limit stopped skilldex from being able to read the repository in acme/lib; it resets at 2030-01-01T12:00:00.000Z (anonymous requests get 60 an hour: set a token): API rate limit exceeded for 203.0.113.7.",
    );
    // The reset is hours away: skilldex says so at once instead of waiting for it.
    expect(github.requests).toHaveLength(1);
  });

  it("says GitHub kept answering 5xx only after asking again three times", async () => {
    github.override(() => ({ status: 502, body: { message: "Server Error" } }));
    const message = await openFailure(github.url);
    expect(message).toBe(`could not read the repository in acme/lib: ${new URL(github.url).host} answered 502, also when asked again; try again later`);
    expect(github.requests).toHaveLength(4);
  });

  it("names the permission a refused check run needs, as the Action's summary shows it", async () => {
    github.override(() => ({ status: 403, body: { message: "Resource not accessible by integration" } }));
    const client = new GitHubClient({ token: TOKEN, owner: "acme", repo: "lib", baseUrl: github.url, paceWrites: false });
    const run = { name: "skilldex", headSha: "a".repeat(40), conclusion: "success" as const, startedAt: "2026-12-01T10:00:00Z", completedAt: "2026-12-01T10:00:01Z", output: { title: "t", summary: "s", text: "" }, annotations: [] };
    const error = await createCheckRun(client.repository, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).kind).toBe("permission");
    expect((error as GitHubError).message).toBe("GitHub refused to let skilldex create the check run in acme/lib (403: Resource not accessible by integration): the token needs the `checks: write` permission.");
    expect(client.requests).toBe(1);
  });
});
