import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { selectSource, type SourceLog } from "../../src/source/select.js";
import { makeTree } from "../helpers/tree.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { makeServedRepo, startStallingServer } from "./servers.js";

const TOKEN = "ghs_planted0123456789abcdef";
const repo = makeServedRepo({ "skills/a/SKILL.md": "---\nname: a\ndescription: A.\n---\n", "big/file.bin": "z".repeat(10_000) });
const github = await startFakeGitHub({ "acme/lib": repo.bare });
afterAll(() => github.close());

function recorder(): { log: SourceLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message, fields) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`) };
}

const remote = { repo: "acme/lib", ref: "main", cloneUrl: repo.url, apiUrl: null as string | null, token: TOKEN };
remote.apiUrl = github.url;
const noGit = { ...process.env, PATH: makeTree({}, "empty-bin") };

describe("selectSource", () => {
  it("reads the workspace when the files are there", async () => {
    const root = makeTree({ "commands/a.md": "# a\n" });
    const { log, lines } = recorder();
    const selected = await selectSource({ root, ...remote, log });
    expect(selected.strategy).toBe("workspace");
    expect(lines).toEqual([`info reading files from the workspace: ${root} holds the files {"strategy":"workspace","reason":"${root} holds the files","apiCalls":0,"bytesFetched":0}`]);
  });

  it("clones when the folder is empty and git is there, logging git's version", async () => {
    const { log, lines } = recorder();
    const selected = await selectSource({ root: makeTree({}), ...remote, log });
    try {
      expect(selected.strategy).toBe("clone");
      expect(selected.warnings).toEqual([]);
      expect(lines[0]).toMatch(/^info git \d+\.\d+\.\d+\S* found/);
      expect(lines.at(-1)).toMatch(/^info reading files from the partial clone: no files on disk, and git \S+ can fetch only what the scan reads/);
      expect((await selected.source.listFiles()).files).toEqual(["big/file.bin", "skills/a/SKILL.md"]);
    } finally {
      await selected.source.dispose?.();
    }
  });

  it("falls back to the API when git is not on PATH, and says so in the listing's warnings", async () => {
    const { log, lines } = recorder();
    const selected = await selectSource({ ...remote, env: noGit, log });
    expect(selected.strategy).toBe("api");
    expect(selected.warnings).toEqual(["git was not found on PATH, so acme/lib@main is read through the GitHub API."]);
    expect((await selected.source.listFiles()).warnings).toEqual(selected.warnings);
    const read = await selected.source.readFile("skills/a/SKILL.md", 1000);
    expect(read.ok).toBe(true);
    expect(selected.source.apiCalls).toBe(2);
    expect(lines.some((l) => l.startsWith("warning git was not found on PATH"))).toBe(true);
  });

  it("falls back to the API when the disk is nearly full", async () => {
    const selected = await selectSource({ ...remote, diskSpace: async () => 10 * 1024 * 1024, minFreeBytes: 64 * 1024 * 1024 });
    expect(selected.strategy).toBe("api");
    expect(selected.warnings[0]).toMatch(/^There is too little disk space \(only 10 MB free in .*, below the 64 MB a clone needs\), so acme\/lib@main is read through the GitHub API\.$/);
  });

  it("falls back to the API when the clone runs past its timeout, leaving no temp folder", async () => {
    const stalling = await startStallingServer();
    const tempDir = makeTree({}, "tmp");
    try {
      const selected = await selectSource({ ...remote, cloneUrl: `git://127.0.0.1:${stalling.port}/lib.git`, timeoutMs: 800, tempDir });
      expect(selected.strategy).toBe("api");
      expect(selected.warnings).toEqual(["The partial clone ran past the 1 s timeout, so acme/lib@main is read through the GitHub API."]);
      expect(readdirSync(tempDir)).toEqual([]);
    } finally {
      await stalling.stop();
    }
  });

  it("falls back to the API when the clone fails, and keeps the token out of every log line, warning and error", async () => {
    const { log, lines } = recorder();
    const selected = await selectSource({ ...remote, cloneUrl: join("file:///nowhere", "lib.git"), log });
    expect(selected.strategy).toBe("api");
    expect(selected.warnings[0]).toMatch(/^The partial clone failed \(.+\), so acme\/lib@main is read through the GitHub API\.$/);
    const failed = await selectSource({ ...remote, ref: "missing", cloneUrl: "http://127.0.0.1:1/lib.git", log }).catch((e: unknown) => e);
    expect((failed as Error).message).toMatch(/^acme\/lib@missing: the partial clone failed \(.+\), and then the GitHub API failed: acme\/lib has no commit, branch or tag missing/);
    expect([...lines, ...selected.warnings, (failed as Error).message].join("\n")).not.toContain(TOKEN);
  });

  it("obeys an explicit strategy instead of falling back", async () => {
    await expect(selectSource({ ...remote, strategy: "clone", env: noGit })).rejects.toThrow("acme/lib@main: the clone source needs git, and git was not found on PATH");
    const api = await selectSource({ root: makeTree({ "a.md": "" }), ...remote, strategy: "api" });
    expect(api.strategy).toBe("api");
  });

  it("asks for a repository when there are no files to read", async () => {
    await expect(selectSource({ root: makeTree({}) })).rejects.toThrow(/holds no files; give a repository \(owner\/name\) to fetch them$/);
  });
});
