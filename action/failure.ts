import { isAbsolute, relative, resolve, sep } from "node:path";
import { GitError } from "../src/git.js";
import type { RunFailure } from "../src/report/check-run.js";
import { SkipFileError } from "../src/skips/index.js";
import { SourceOpenError } from "../src/source/open.js";
import { CheckoutError } from "./checkout.js";
import { GitHubError } from "./github.js";
import { InputError } from "./inputs.js";

/** The one error that stopped the run, in words, and for a malformed config the place to fix. */
export function describeFailure(error: unknown): RunFailure {
  if (error instanceof SkipFileError) {
    // A file outside the repository (a config input such as ../x.yml) cannot be annotated, so the message names the place.
    const inside = !isAbsolute(error.file) && !error.file.split("/").includes("..") && error.line >= 1;
    return inside ? { message: error.problem, place: { file: error.file, line: error.line, col: Math.max(1, error.column) } } : { message: error.message, place: null };
  }
  if (error instanceof InputError || error instanceof CheckoutError || error instanceof SourceOpenError || error instanceof GitError || error instanceof GitHubError) {
    return { message: error.message, place: null };
  }
  return { message: error instanceof Error ? (error.message.split("\n")[0] ?? "unexpected error") : String(error), place: null };
}

/** A malformed config's error with its file relative to the repository root, where the annotation points, rather than to the folder scanned. */
export function relocate(error: SkipFileError, root: string, repoRoot: string): SkipFileError {
  const file = relative(repoRoot, resolve(root, error.file)).split(sep).join("/");
  return new SkipFileError(file, error.line, error.column, error.problem);
}
