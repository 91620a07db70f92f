import type { Artifact } from "../src/model.js";
import { ManifestReader } from "../src/pipeline/read.js";
import { allowProblem, resolveAllowCommand } from "../src/skips/allow.js";
import { type AllowChange, unwritableMessage } from "../src/skips/command.js";
import type { SkilldexConfig } from "../src/skips/index.js";
import type { FileSource, ReadResult } from "../src/source/types.js";
import type { Command } from "./commands.js";
import type { GitHubRepo } from "./github.js";
import type { Outcome, Requester } from "./outcome.js";
import { code } from "./reply.js";

/** Where an approval is asked: the commit its artifacts were listed at, and that commit's artifacts. */
export interface AllowPlace {
  repo: GitHubRepo;
  /** The pull request's head commit, or the branch an issue is about. */
  viewRef: string;
  artifacts: readonly Artifact[];
  /** GitHub truncated the listing, for the answer when no artifact matched. */
  truncated: boolean;
  config: SkilldexConfig;
}

/**
 * `/skilldex allow ARTIFACT CAPABILITY`: the approval command of src/skips/allow.ts, the manifest
 * read from GitHub at the conversation's commit. The change it plans is written with the skip
 * commands' changes, in the same coalesced write of the settings file.
 */
export async function planAllow(command: Command, place: AllowPlace, requester: Requester): Promise<{ change: AllowChange } | { outcome: Outcome }> {
  const { repo, viewRef } = place;
  const commit = /^[0-9a-f]{40}$/.test(viewRef) ? viewRef : await repo.getBranchHead(viewRef);
  const reader = new ManifestReader(manifestsAt(repo, commit));
  const approver = { by: requester.login, at: requester.at, ref: requester.ref, commit };
  const resolution = await resolveAllowCommand(command.target, command.reason, place.artifacts, place.config, reader, approver);
  switch (resolution.kind) {
    case "entry":
      return { change: resolution.change };
    case "unknown":
    case "ambiguous": {
      const ambiguous = resolution.kind === "ambiguous";
      return { outcome: { kind: "unknown", command, suggestions: ambiguous ? resolution.candidates : resolution.suggestions, truncated: place.truncated, ambiguous } };
    }
    case "unwritable":
      return { outcome: { kind: "usage", command, message: `${unwritableMessage(resolution.paths, code)}.` } };
    default:
      return { outcome: { kind: "usage", command, message: `${capitalized(allowProblem(resolution, code))}; nothing was written.` } };
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The manifests of one commit, each read when the approval command needs it. */
function manifestsAt(repo: GitHubRepo, commit: string): FileSource {
  return {
    strategy: "api",
    listFiles: () => Promise.reject(new Error("an approval reads one manifest, it lists nothing")),
    compareWithBase: () => Promise.reject(new Error("an approval compares nothing")),
    async readFile(path: string, maxBytes: number): Promise<ReadResult> {
      const file = await repo.readFile(path, commit);
      if (file === null) return { ok: false, code: "io_error", message: `${path} is not in ${commit}`, missing: true };
      const bytes = Buffer.from(file.text, "utf8");
      return bytes.length > maxBytes ? { ok: false, code: "too_large", size: bytes.length } : { ok: true, bytes };
    },
  };
}
