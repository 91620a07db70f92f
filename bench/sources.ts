import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRepository } from "./generate.js";
import { ApiSource } from "../src/source/api.js";
import { CloneSource } from "../src/source/clone.js";
import { filesToFetch } from "../src/source/needed.js";
import { startFakeGitHub } from "../test/helpers/fake-github.js";

export interface SourceBenchmark {
  artifacts: number;
  files: number;
  /** Bytes of the files a scan reads: the floor for any source. */
  artifactBytes: number;
  full: { ms: number; bytes: number };
  partial: { ms: number; bytes: number; blobs: number };
  api: { calls: number; callsWithoutToken: number };
}

/**
 * Measures the partial clone against a full clone of a generated repository with large files that
 * are not artifacts, and counts the API source's calls, over file:// and a loopback API.
 */
export async function benchmarkSources(artifacts: number): Promise<SourceBenchmark> {
  const dir = mkdtempSync(join(tmpdir(), "skilldex-bench-source-"));
  try {
    const work = join(dir, "work");
    const made = generateRepository(work, artifacts);
    // Distinct, incompressible large files, as real assets are: identical ones would share one blob.
    let seed = 7;
    for (let i = 0; i < 16; i++) {
      const bytes = Buffer.alloc(2 * 1024 * 1024);
      for (let b = 0; b < bytes.length; b += 4) bytes.writeUInt32LE((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), b);
      mkdirSync(join(work, "media"), { recursive: true });
      writeFileSync(join(work, "media", `clip-${i}.bin`), bytes);
    }
    const run = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 });
    run(work, "init", "-q", "-b", "main");
    run(work, "add", "-A");
    run(work, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "generated");
    const bare = join(dir, "acme", "lib.git");
    run(dir, "clone", "-q", "--bare", work, bare);
    run(bare, "config", "uploadpack.allowFilter", "true");
    run(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
    const files = run(bare, "ls-tree", "-r", "--name-only", "-z", "main").split("\0").filter(Boolean);
    const artifactBytes = filesToFetch(files).reduce((n, f) => n + statSync(join(work, f)).size, 0);

    let started = performance.now();
    const full = join(dir, "full");
    run(dir, "clone", "-q", "--depth=1", "--no-local", `file://${bare}`, full);
    const fullMs = performance.now() - started;
    const fullBytes = folderBytes(join(full, ".git", "objects"));

    started = performance.now();
    const partial = await CloneSource.open({ url: `file://${bare}`, ref: "main", tempDir: dir });
    // The clone fetches the blobs a scan reads at its first read: every one is read, as a scan reads them.
    for (const f of filesToFetch((await partial.listFiles()).files)) await partial.readFile(f, 1 << 20);
    const partialMs = performance.now() - started;
    const blobs = run(partial.dir, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype)").split("\n").filter((t) => t === "blob").length;
    const partialBytes = partial.bytesFetched;
    await partial.dispose();

    const github = await startFakeGitHub({ "acme/lib": bare });
    const apiCalls = async (token: string | null): Promise<number> => {
      const source = await ApiSource.open({ owner: "acme", repo: "lib", ref: "main", baseUrl: github.url, token });
      for (const f of filesToFetch((await source.listFiles()).files)) await source.readFile(f, 1 << 20);
      return source.apiCalls;
    };
    const api = { calls: await apiCalls("token"), callsWithoutToken: await apiCalls(null) };
    await github.close();
    return { artifacts: made.artifacts, files: made.files, artifactBytes, full: { ms: fullMs, bytes: fullBytes }, partial: { ms: partialMs, bytes: partialBytes, blobs }, api };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `npm run bench` prints these after the scan figures. */
export async function printSourceBenchmarks(): Promise<void> {
  console.log("\nsources · a generated repository plus 32 MB of incompressible media, over file:// and a loopback API");
  for (const artifacts of [100, 10_000]) {
    const b = await benchmarkSources(artifacts);
    console.log(
      `${String(b.artifacts).padStart(6)} artifacts ${String(b.files).padStart(6)} files | artifact files ${formatBytes(b.artifactBytes)} ` +
        `| full clone ${b.full.ms.toFixed(0)} ms, ${formatBytes(b.full.bytes)} | partial clone ${b.partial.ms.toFixed(0)} ms, ${formatBytes(b.partial.bytes)}, ${b.partial.blobs} blobs ` +
        `| API calls ${b.api.calls} with a token, ${b.api.callsWithoutToken} without`,
    );
  }
}
