import { simpleGit, type SimpleGit } from "simple-git";

/**
 * Every git command skilldex runs goes through here, so errors are translated once into messages
 * a person can act on.
 */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, config: ["core.quotePath=false"] });
}

/** Whether `dir` lies inside a git work tree. */
export async function isInsideWorkTree(dir: string): Promise<boolean> {
  try {
    return (await git(dir).raw(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false;
  }
}

/** The full commit sha a ref names, or a GitError that says it does not exist. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  if (!(await isInsideWorkTree(dir))) throw new GitError(`cannot compare with ${ref}: ${dir} is not inside a git repository`);
  let sha: string;
  try {
    // With --quiet git says nothing on a miss, and simple-git then resolves with empty output.
    sha = (await git(dir).raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    sha = "";
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new GitError(`cannot compare with ${ref}: no such commit, branch or tag here (is the history fetched? use fetch-depth: 0 with actions/checkout)`);
  }
  return sha;
}

export interface BaseComparison {
  /** Files (relative to `dir`) that existed at the base. */
  atBase: Set<string>;
  /** Files that differ between the base and the working tree, untracked files included. */
  changed: Set<string>;
}

/** What the working tree below `dir` changed against a base commit. */
export async function compareWithBase(dir: string, baseSha: string): Promise<BaseComparison> {
  const g = git(dir);
  const nul = (out: string): string[] => out.split("\0").filter((s) => s !== "");
  // Paths come relative to `dir` and limited to it: the scan root may be a sub-folder.
  const [tree, diff, untracked] = await Promise.all([
    g.raw(["ls-tree", "-r", "-z", "--name-only", baseSha, "--", "."]),
    g.raw(["diff", "--name-only", "-z", "--no-renames", "--relative", baseSha, "--", "."]),
    g.raw(["ls-files", "--others", "--exclude-standard", "-z", "--", "."]),
  ]);
  return { atBase: new Set(nul(tree)), changed: new Set([...nul(diff), ...nul(untracked)]) };
}
