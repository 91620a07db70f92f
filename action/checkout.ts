import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** The workflow has no checkout where the Action looks; the message says how to add one. */
export class CheckoutError extends Error {
  constructor(readonly reason: string) {
    super(`${reason}. Add a step \`- uses: actions/checkout@v5\` before skilldex (or set the path input to where the repository is checked out), or set the source input to auto to have skilldex fetch the files instead.`);
    this.name = "CheckoutError";
  }
}

export interface Checkout {
  /** The folder to scan. */
  root: string;
  /** The top of the git work tree that holds it. */
  repoRoot: string;
  /** `root` relative to `repoRoot`, with `/`; "" when they are the same. */
  prefix: string;
}

/** Finds the folder the path input names in the workspace and the repository it belongs to. */
export function locateCheckout(workspace: string, path: string): Checkout {
  const root = isAbsolute(path) ? path : resolve(workspace, path);
  let isFolder: boolean;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    throw new CheckoutError(`No checkout: ${path} does not exist in the workspace ${workspace}`);
  }
  if (!isFolder) throw new CheckoutError(`No checkout: ${path} is a file, not a folder`);
  if (readdirSync(root).length === 0) throw new CheckoutError(`No checkout: ${path} is empty`);
  const repoRoot = gitTop(root);
  if (repoRoot === null) throw new CheckoutError(`No checkout: ${path} is not inside a git repository`);
  return { root, repoRoot, prefix: relative(repoRoot, root).split(sep).join("/") };
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree or submodule). */
function gitTop(dir: string): string | null {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(resolve(current, ".git"))) return current;
    if (dirname(current) === current) return null;
  }
}
