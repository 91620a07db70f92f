import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const made: string[] = [];
const cleanUp = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};
// Under vitest, after each test file; anywhere else (the benchmarks), when the process ends.
if (process.env.VITEST) {
  const { afterAll } = await import("vitest");
  afterAll(cleanUp);
} else {
  process.on("exit", cleanUp);
}

export type Tree = Record<string, string | Uint8Array | { symlink: string }>;

/** A folder in the system temp dir holding the given files; removed after the test file. */
export function makeTree(files: Tree, name = "repo"): string {
  const parent = mkdtempSync(join(tmpdir(), "skilldex-test-"));
  made.push(parent);
  const root = join(parent, name);
  mkdirSync(root);
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Tree): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === "object" && "symlink" in content) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.com" },
  });
}

/** A git repository with the files committed on `main`. */
export function makeGitRepo(files: Tree): string {
  const root = makeTree(files);
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "initial");
  return root;
}
