import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { scan, type ScanOptions } from "../../src/index/scan.js";
import type { ArtifactResult, Report } from "../../src/model.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

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

export async function scanTree(files: Tree, options: Partial<ScanOptions> = {}): Promise<Report> {
  return scan({ root: makeTree(files), ...options });
}

export function byKey(report: Report, key: string): ArtifactResult {
  const found = report.artifacts.filter((a) => a.key === key);
  if (found.length !== 1) throw new Error(`expected one artifact ${key}, found ${found.length}: ${report.artifacts.map((a) => a.key).join(", ")}`);
  return found[0] as ArtifactResult;
}

export function keys(report: Report): string[] {
  return report.artifacts.map((a) => a.key).sort();
}

export const skill = (name: string, description = `Does ${name} things. Use when asked about ${name}.`): string =>
  `---\nname: ${name}\ndescription: ${description}\n---\n\n# ${name}\n\nInstructions.\n`;
export const agent = (name: string): string => `---\nname: ${name}\ndescription: The ${name} agent.\n---\n\nYou are ${name}.\n`;
export const command = (description: string): string => `---\ndescription: ${description}\n---\n\nDo it.\n`;
export const pluginJson = (name: string): string => `${JSON.stringify({ name, version: "1.0.0", description: `The ${name} plugin.` }, null, 2)}\n`;
