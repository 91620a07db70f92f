import { spawn, type ChildProcess } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { git, makeGitRepo, makeTree, writeTree, type Tree } from "./fixtures.js";

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
