import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { InputError, type Inputs } from "./inputs.js";
import type { Runner } from "./runner.js";

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

/**
 * The checkout the path input points at. `source: workspace` requires one; `auto` fetches the
 * files when there is none, saying why; `clone` and `api` fetch them whatever is on disk.
 */
export function findCheckout(workspace: string, inputs: Inputs, runner: Runner): Checkout | null {
  if (inputs.source === "clone" || inputs.source === "api") return null;
  try {
    return locateCheckout(workspace, inputs.path);
  } catch (error) {
    if (!(error instanceof CheckoutError) || inputs.source === "workspace") throw error;
    runner.info(`${error.reason}: skilldex fetches the files it reads from GitHub instead (source: auto).`);
    return null;
  }
}

/** Where fetched files stand in for a checkout: the path input's folder of the repository. */
export function fetchedPlace(workspace: string, path: string): Checkout {
  const prefix = path.split(/[\\/]+/).filter((part) => part !== "" && part !== ".").join("/");
  if (isAbsolute(path) || prefix.split("/").includes("..")) throw new InputError(`the path input must be a folder inside the repository to be fetched without a checkout, not ${JSON.stringify(path)}`);
  return { root: resolve(workspace, prefix), repoRoot: workspace, prefix };
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree or submodule). */
function gitTop(dir: string): string | null {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(resolve(current, ".git"))) return current;
    if (dirname(current) === current) return null;
  }
}
