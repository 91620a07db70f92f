import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloneSource, SourceFetchError } from "../../src/source/clone.js";
import { basicCredential } from "../../src/telemetry/redact.js";
import { makeTree } from "../helpers/tree.js";
import { makeServedRepo, pushChange, startGitDaemon, recordingGit, startGitHttpServer, startStallingServer } from "./servers.js";

const big = "x".repeat(200_000);
const FILES = {
  "README.md": "# library\n",
  "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Reads PDFs.\n---\nBody\n",
  "skills/pdf/reference.md": "A long reference.\n",
  "skills/pdf/scripts/big.bin": big,
  "commands/deploy.md": "---\ndescription: Deploys.\n---\nDeploy.\n",
  "assets/video.mp4": big + "video",
  ".claude-plugin/marketplace.json": JSON.stringify({ name: "lib", owner: { name: "me" }, plugins: [] }),
  "node_modules/dep/index.js": "ignored",
};

function blobsInClone(dir: string): string[] {
  const out = execFileSync("git", ["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return out.split("\n").filter((l) => l.startsWith("blob ")).map((l) => l.slice(5));
}

function blobOf(bare: string, path: string): string {
  return execFileSync("git", ["rev-parse", `main:${path}`], { cwd: bare, encoding: "utf8" }).trim();
}

/** A temp parent folder per test, so that what a source leaves behind can be counted. */
function tempParent(): string {
  return makeTree({}, "parent");
}

describe("CloneSource", () => {
  const repo = makeServedRepo(FILES);

  it.each(["objects", "sparse"] as const)("lists every file of the commit but fetches only the blobs a scan reads (%s)", async (checkout) => {
    const source = await CloneSource.open({ url: repo.url, ref: "main", checkout });
    try {
      const { files } = await source.listFiles();
      expect(files).toEqual([".claude-plugin/marketplace.json", "README.md", "assets/video.mp4", "commands/deploy.md", "skills/pdf/SKILL.md", "skills/pdf/reference.md", "skills/pdf/scripts/big.bin"]);
      // The blobs a scan reads travel together, at the first read.
      const read = await source.readFile("skills/pdf/SKILL.md", 1000);
      expect(read.ok && Buffer.from(read.bytes).toString()).toContain("name: pdf");
      const fetched = blobsInClone(source.dir).sort();
      expect(fetched).toEqual([blobOf(repo.bare, ".claude-plugin/marketplace.json"), blobOf(repo.bare, "commands/deploy.md"), blobOf(repo.bare, "skills/pdf/SKILL.md")].sort());
      expect(source.bytesFetched).toBeLessThan(big.length / 2);
      expect(source.commit).toBe(repo.commit);
      if (checkout === "sparse") {
        expect(source.localRoot).toBe(source.dir);
        expect(readdirSync(source.dir, { recursive: true }).filter((p) => !String(p).startsWith(".git")).map(String).sort()).toEqual([".claude-plugin", ".claude-plugin/marketplace.json", "commands", "commands/deploy.md", "skills", "skills/pdf", "skills/pdf/SKILL.md"]);
      } else {
        expect(source.localRoot).toBe(null);
      }
    } finally {
      await source.dispose();
    }
    expect(existsSync(source.dir)).toBe(false);
  });

  it("reads a file outside the chosen set by fetching its blob on demand", async () => {
    const source = await CloneSource.open({ url: repo.url });
    try {
      const read = await source.readFile("skills/pdf/reference.md", 1000);
      expect(read.ok && Buffer.from(read.bytes).toString()).toBe("A long reference.\n");
      expect(await source.readFile("skills/pdf/scripts/big.bin", 1000)).toEqual({ ok: false, code: "too_large", size: big.length });
      expect(await source.readFile("../../etc/passwd", 1000)).toMatchObject({ ok: false, code: "io_error" });
    } finally {
      await source.dispose();
    }
  });

  it("fetches a pinned commit by sha, and lists a sub-folder with its prefix left off", async () => {
    const first = repo.commit;
    const other = makeServedRepo({ "tools/plugin/.claude-plugin/plugin.json": '{"name":"p"}', "tools/plugin/commands/a.md": "# a\n", "src/main.c": "int main;" });
    pushChange(other, { "tools/plugin/commands/b.md": "# b\n" });
    const source = await CloneSource.open({ url: other.url, ref: other.commit, subdir: "tools/plugin" });
    try {
      expect((await source.listFiles()).files).toEqual([".claude-plugin/plugin.json", "commands/a.md"]);
      const read = await source.readFile(".claude-plugin/plugin.json", 100);
      expect(read.ok && Buffer.from(read.bytes).toString()).toBe('{"name":"p"}');
    } finally {
      await source.dispose();
    }
    expect(first).toMatch(/^[0-9a-f]{40}$/);
  });

  it("says what changed against a base commit from trees alone", async () => {
    const changing = makeServedRepo({ "commands/a.md": "# a\n", "commands/b.md": "# b\n", "commands/gone.md": "# gone\n" });
    const base = changing.commit;
    pushChange(changing, { "commands/b.md": "# b, changed\n", "commands/new.md": "# new\n" }, ["commands/gone.md"]);
    const source = await CloneSource.open({ url: changing.url, ref: "main" });
    try {
      const { atBase, changed } = await source.compareWithBase(base);
      expect([...atBase].sort()).toEqual(["commands/a.md", "commands/b.md", "commands/gone.md"]);
      expect([...changed].sort()).toEqual(["commands/b.md", "commands/gone.md", "commands/new.md"]);
    } finally {
      await source.dispose();
    }
  });

  it("refuses to clone when the disk is nearly full, and says how full", async () => {
    const parent = tempParent();
    const error = await CloneSource.open({ url: repo.url, tempDir: parent, diskSpace: async () => 100 * 1024 * 1024, minFreeBytes: 500 * 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    expect((error as SourceFetchError).failure).toBe("disk_space");
    expect((error as Error).message).toBe(`only 100 MB free in ${parent}, below the 500 MB a clone needs`);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("fails with the reason and leaves nothing behind when the ref does not exist", async () => {
    const parent = tempParent();
    const error = await CloneSource.open({ url: repo.url, ref: "no-such-branch", tempDir: parent }).catch((e: unknown) => e);
    expect((error as SourceFetchError).failure).toBe("fetch_failed");
    expect((error as Error).message).toMatch(/no-such-branch/);
    expect(readdirSync(parent)).toEqual([]);
  });

  describe("over git daemon", () => {
    let daemon: Awaited<ReturnType<typeof startGitDaemon>>;
    const served = makeServedRepo(FILES, "lib.git");
    beforeAll(async () => {
      daemon = await startGitDaemon(join(served.bare, ".."));
    });
    afterAll(async () => {
      await daemon.stop();
    });

    it("fetches only the artifact blobs over the git protocol", async () => {
      const source = await CloneSource.open({ url: daemon.url("lib.git"), ref: "main" });
      try {
        expect((await source.listFiles()).files).toHaveLength(7);
        const read = await source.readFile("commands/deploy.md", 1000);
        expect(read.ok).toBe(true);
        expect(blobsInClone(source.dir)).toHaveLength(3);
      } finally {
        await source.dispose();
      }
    });
  });

  it("kills git when the remote stalls past the timeout and removes the clone", async () => {
    const stalling = await startStallingServer();
    const parent = tempParent();
    try {
      const started = Date.now();
      const error = await CloneSource.open({ url: `git://127.0.0.1:${stalling.port}/repo.git`, timeoutMs: 1000, tempDir: parent }).catch((e: unknown) => e);
      expect((error as SourceFetchError).failure).toBe("timeout");
      expect((error as Error).message).toBe("git ran past the 1 s timeout");
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      await stalling.stop();
    }
  });

  it("keeps a token out of argv, .git/config and every error", async () => {
    const token = "ghs_secretTOKEN1234567890";
    const { env, argv } = recordingGit();
    const source = await CloneSource.open({ url: repo.url, token, env });
    try {
      expect(argv()).toContain("fetch");
      expect(argv()).not.toContain(token);
      expect(readFileSync(join(source.dir, ".git", "config"), "utf8")).not.toContain(token);
    } finally {
      await source.dispose();
    }
    const error = await CloneSource.open({ url: "http://127.0.0.1:1/repo.git", token, env, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFetchError);
    expect(String((error as Error).message)).not.toContain(token);
    expect(argv()).not.toContain(token);
  });

  it("authenticates over HTTPS-style git with a header, and the token shows in no argv, config or error", async () => {
    const token = "ghs_httpSecret0987654321";
    const http = await startGitHttpServer(join(repo.bare, ".."), `basic ${basicCredential(token)}`);
    const { env, argv } = recordingGit();
    const name = repo.bare.split("/").at(-1) as string;
    try {
      const source = await CloneSource.open({ url: `${http.url}/${name}`, ref: "main", token, env });
      try {
        expect((await source.readFile("commands/deploy.md", 1000)).ok).toBe(true);
        expect(blobsInClone(source.dir)).toHaveLength(3);
        expect(readFileSync(join(source.dir, ".git", "config"), "utf8")).not.toContain(token);
      } finally {
        await source.dispose();
      }
      expect(http.seen.every((h) => h?.toLowerCase() === `basic ${basicCredential(token)}`.toLowerCase())).toBe(true);
      const refused = await CloneSource.open({ url: `${http.url}/${name}`, token: "wrong-token-123", env }).catch((e: unknown) => e);
      expect((refused as SourceFetchError).failure).toBe("fetch_failed");
      expect((refused as Error).message).not.toContain("wrong-token-123");
      expect(argv()).toContain("fetch");
      expect(argv()).not.toContain(token);
      expect(argv()).not.toContain(basicCredential(token));
    } finally {
      await http.stop();
    }
  });
});
