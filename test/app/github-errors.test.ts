import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context } from "probot";
import { afterEach, describe, expect, test } from "vitest";
import { GitHubError, GitHubRepo } from "../../app/github.js";
import { AppOctokit } from "../../app/octokit.js";
import { freePort } from "./app-process.js";
import { TestOctokit } from "./helpers.js";

/** What the app says when a request to GitHub fails, and which failures its client retries. */

const TOKEN = "ghs_tokenThatMustNeverBeShown0123456789";
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 answering every request with `answer`, counting requests by method. */
async function github(answer: ((method: string) => { status: number; body?: unknown }) | "never"): Promise<{ host: string; count: Map<string, number> }> {
  const count = new Map<string, number>();
  const server = createServer((req, res) => {
    count.set(req.method ?? "", (count.get(req.method ?? "") ?? 0) + 1);
    req.resume();
    if (answer === "never") return;
    const { status, body } = answer(req.method ?? "GET");
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { message: "nope" }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, count };
}

function repoAt(baseUrl: string, Octokit = TestOctokit, more: Record<string, unknown> = {}): GitHubRepo {
  const octokit = new Octokit({ baseUrl, auth: { token: TOKEN }, ...more }) as unknown as Context["octokit"];
  return new GitHubRepo(octokit, "octo-org", "skills");
}

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubError);
  expect((error as GitHubError).message).not.toContain(TOKEN);
  return error as GitHubError;
}

describe("a request that got no answer says why, naming the host", () => {
  test("a refused connection", async () => {
    const port = await freePort();
    const error = await failure(repoAt(`http://127.0.0.1:${port}`).getPullRequest(42));
    expect(error.message).toBe(`could not read pull request #42: connection refused to 127.0.0.1:${port}`);
    expect(error.kind).toBe("unreachable");
  });

  test("a name that does not resolve", async () => {
    const error = await failure(repoAt("http://skilldex-test.invalid").getPullRequest(42));
    expect(error.message).toBe("could not read pull request #42: the name skilldex-test.invalid could not be resolved (DNS)");
  });

  test("a GitHub that does not answer in time", async () => {
    const { host } = await github("never");
    const error = await failure(repoAt(`http://${host}`, TestOctokit, { request: { signal: AbortSignal.timeout(300) } }).getPullRequest(42));
    expect(error.message).toBe(`could not read pull request #42: timed out waiting for ${host}`);
  });

  test("an HTTP status is a different message, naming the host too", async () => {
    const { host } = await github(() => ({ status: 502 }));
    const error = await failure(repoAt(`http://${host}`).getPullRequest(42));
    expect(error.message).toBe(`could not read pull request #42: ${host} answered 502; try the command again`);
    expect(error.kind).toBe("unavailable");
  });
});

describe("the app's GitHub client", () => {
  const write = (repo: GitHubRepo) => repo.writeFile({ path: ".github/skilldex.yml", branch: "feature", text: "skip: []\n", sha: "0".repeat(40), message: "m" });

  test.each([409, 422])("never re-sends a contents write GitHub answered %i, so the read-edit-write loop sees it at once", async (status) => {
    const { host, count } = await github(() => ({ status, body: { message: ".github/skilldex.yml does not match 0000000" } }));
    const started = performance.now();
    const error = await failure(write(repoAt(`http://${host}/api/v3`, AppOctokit)));

    expect(count.get("PUT")).toBe(1);
    expect(error.kind).toBe("conflict");
    expect(performance.now() - started).toBeLessThan(500);
  });

  test("retries a 5xx once, and a later request does not wait longer for it", async () => {
    const { host, count } = await github(() => ({ status: 503 }));
    const repo = repoAt(`http://${host}/api/v3`, AppOctokit);
    const pauses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      await failure(repo.getPullRequest(42));
      pauses.push(performance.now() - started);
    }

    expect(count.get("GET")).toBe(4);
    for (const pause of pauses) expect(pause).toBeLessThan(2500);
  });
});
