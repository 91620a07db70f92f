import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../app/app-process.js";

/**
 * A real redis-server for a suite: Debian's package, started on 127.0.0.1 on a free port with no
 * persistence, stopped (and its folder removed) after. Suites that need it call `redisServerBinary()`
 * first: in CI a missing binary fails the suite with the line that installs it; elsewhere the suite
 * is skipped with that line.
 */

export const INSTALL_HINT = "redis-server is not installed: `apt-get update && apt-get install -y redis-server` (.ci/run does it)";

/** The redis-server binary on PATH, or null. */
export function redisServerBinary(): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

/** Whether a suite that needs redis-server runs here: throws in CI when it is missing, false (skip) elsewhere. */
export function redisServerAvailable(): boolean {
  if (redisServerBinary() !== null) return true;
  if (process.env.CI) throw new Error(INSTALL_HINT);
  console.warn(`skipping the Redis suites: ${INSTALL_HINT}`);
  return false;
}

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(500, () => socket.destroy());
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("close", () => resolve(false));
  });
}

/** Starts redis-server on a free port, or on `port` (to bring back one a test stopped, at the address its clients know). */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (binary === null) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), "skilldex-redis-"));
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const late = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(late);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
