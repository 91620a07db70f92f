import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { git, makeGitRepo, makeTree, writeTree, type Tree } from "../helpers/tree.js";

/** A bare repository holding `files` on `main`, set up to serve partial and by-sha fetches. */
export function makeServedRepo(files: Tree, name = "repo.git", parent?: string): { bare: string; url: string; commit: string; work: string } {
  const work = makeGitRepo(files);
  const bare = join(parent ?? makeTree({}, "served"), name);
  git(work, "clone", "-q", "--bare", work, bare);
  git(bare, "config", "uploadpack.allowFilter", "true");
  git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
  return { bare, url: `file://${bare}`, commit: git(work, "rev-parse", "HEAD").trim(), work };
}

/** Adds a commit on `main` of a repository from `makeServedRepo` and pushes it; returns its sha. */
export function pushChange(repo: { bare: string; work: string }, files: Tree, remove: string[] = []): string {
  for (const path of remove) git(repo.work, "rm", "-q", path);
  writeTree(repo.work, files);
  git(repo.work, "add", "-A");
  git(repo.work, "commit", "-q", "-m", "change");
  git(repo.work, "push", "-q", repo.bare, "main");
  return git(repo.work, "rev-parse", "HEAD").trim();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `git daemon` serving every repository under `base` on 127.0.0.1; `stop()` kills it. */
export async function startGitDaemon(base: string): Promise<{ url: (name: string) => string; stop: () => Promise<void> }> {
  const port = await freePort();
  const daemon: ChildProcess = spawn("git", ["daemon", "--export-all", "--enable=upload-pack", "--reuseaddr", "--listen=127.0.0.1", `--port=${port}`, `--base-path=${base}`, base], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: (name) => `git://127.0.0.1:${port}/${name}`,
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once("exit", resolve));
        daemon.kill();
        await exited;
      }
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A TCP server that accepts connections and never says a word: a remote that hangs. */
export async function startStallingServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A loopback HTTP server answering with `handler`; the URL has no trailing slash. */
export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Git's smart HTTP protocol over loopback through `git http-backend`, refusing any request
 * without the expected Authorization header. `seen` holds every Authorization header received.
 */
export async function startGitHttpServer(projectRoot: string, expectedAuthorization: string): Promise<{ url: string; seen: (string | undefined)[]; stop: () => Promise<void> }> {
  const seen: (string | undefined)[] = [];
  const server = await startHttpServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization?.toLowerCase() !== expectedAuthorization.toLowerCase()) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://x");
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
      },
    });
    req.pipe(cgi.stdin);
    const out: Buffer[] = [];
    cgi.stdout.on("data", (c: Buffer) => out.push(c));
    cgi.on("close", () => {
      const all = Buffer.concat(out);
      const split = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, split).toString().split("\r\n");
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head) {
        const [k, ...v] = line.split(":");
        if (!k) continue;
        if (k.toLowerCase() === "status") status = Number(v.join(":").trim().split(" ")[0]);
        else headers[k] = v.join(":").trim();
      }
      res.writeHead(status, headers).end(all.subarray(split + 4));
    });
  });
  return { ...server, seen };
}

/**
 * A PATH whose git records its command line (what a process listing shows) before running the
 * real git; `argv()` returns every line recorded so far.
 */
export function recordingGit(): { env: NodeJS.ProcessEnv; argv: () => string } {
  const bin = makeTree({}, "bin");
  const log = join(bin, "argv.log");
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  writeFileSync(join(bin, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  writeFileSync(log, "");
  return { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, argv: () => readFileSync(log, "utf8") };
}
