import { GitError, resolveCommit } from "../git.js";
import type { Artifact } from "../model.js";
import type { ManifestReader } from "../pipeline/read.js";
import { allowProblem, type Approver, resolveAllowCommand } from "../skips/allow.js";
import { type AllowChange, unwritableMessage } from "../skips/command.js";
import type { SkilldexConfig } from "../skips/index.js";
import { quoted, unresolved } from "./targets.js";
import { UsageError } from "./usage.js";

/**
 * `skilldex allow ARTIFACT CAPABILITY`: the approval command of src/skips/allow.ts over the
 * folder's files, at the commit its work tree is on (none outside git). `skilldex skip` writes it.
 */
export async function allowChange(positionals: readonly string[], artifacts: readonly Artifact[], config: SkilldexConfig, reader: ManifestReader, root: string, who: Omit<Approver, "commit">): Promise<AllowChange> {
  const [target = "", ...rest] = positionals;
  const resolution = await resolveAllowCommand(target, rest.join(" "), artifacts, config, reader, { ...who, commit: await headCommit(root) });
  switch (resolution.kind) {
    case "entry":
      return resolution.change;
    case "ambiguous":
    case "unknown":
      throw unresolved(resolution, target);
    case "unwritable":
      throw new UsageError(unwritableMessage(resolution.paths, quoted));
    default:
      throw new UsageError(allowProblem(resolution, quoted));
  }
}

/** The commit the folder's work tree is on; null outside a git repository. */
async function headCommit(root: string): Promise<string | null> {
  try {
    return await resolveCommit(root, "HEAD");
  } catch (error) {
    if (error instanceof GitError) return null;
    throw error;
  }
}
