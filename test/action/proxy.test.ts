import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { makeGitRepo, skill } from "../helpers/repo.js";
import { actionEnv, headSha, node24Binary, pushPayload, runBundle, type ActionFiles } from "./harness.js";

/**
 * A runner behind a proxy: GitHub's API is reachable only through the proxy the runner names in
 * HTTP_PROXY, as on self-hosted runners in a closed network. The API's host name resolves nowhere;
 * the proxy, on 127.0.0.1, takes every tunnel and request to the fake GitHub.
 */

let node24: string;
let github: FakeGitHub;
let proxy: Server;
/** What the proxy was asked for: `CONNECT host:port` or `METHOD absolute-url`. */
const asked: string[] = [];
const sockets = new Set<Socket>();
const cleanups: ActionFiles[] = [];

beforeAll(async () => {
  node24 = await node24Binary();
  github = await startFakeGitHub();
  const upstream = new URL(github.url);
  proxy = createServer((req: IncomingMessage, res) => {
    asked.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "/");
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forwarded);
  });
  proxy.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    asked.push(`CONNECT ${req.url}`);
    const server = connect(Number(upstream.port), upstream.hostname, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      server.write(head);
      server.pipe(client);
      client.pipe(server);
    });
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
  await github?.close();
  for (const files of cleanups) files.remove();
});

describe("the bundled Action on a runner behind a proxy", () => {
  it("posts the check run through the proxy that HTTP_PROXY names", async () => {
    const dir = makeGitRepo({ "skills/alpha/SKILL.md": skill("alpha") });
    const sha = headSha(dir);
    const port = new URL(github.url).port;
    const apiUrl = `http://api.github.invalid:${port}`;
    const files = actionEnv({ workspace: dir, apiUrl, eventName: "push", payload: pushPayload(null, sha), sha });
    cleanups.push(files);
    files.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const before = github.checkRuns.length;
    const { code, log } = await runBundle(node24, files);

    expect(code, log).toBe(0);
    expect(github.checkRuns.length).toBe(before + 1);
    expect(github.checkRuns.at(-1)).toMatchObject({ name: "skilldex", head_sha: sha, conclusion: "success" });
    expect(files.outputs()["check-run-id"]).toBe(String(github.checkRuns.at(-1)?.id));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((line) => line.includes(`api.github.invalid:${port}`))).toBe(true);
  });
});
