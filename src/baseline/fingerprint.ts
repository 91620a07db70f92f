import { createHash } from "node:crypto";
import type { ArtifactResult } from "../model.js";

/**
 * One fingerprint per finding of an artifact, in the order of its findings: a hash of the rule,
 * the artifact's key, the file and the message, never the line, so a finding keeps its
 * fingerprint when lines above it move. Identical findings of one artifact are told apart by
 * their rank (`:1`, `:2`, …). SARIF's partialFingerprints and the baseline both use these.
 */
export function findingFingerprints(artifact: Pick<ArtifactResult, "key" | "findings">): string[] {
  const seen = new Map<string, number>();
  return artifact.findings.map((f) => {
    const hash = createHash("sha256").update(JSON.stringify([f.rule, artifact.key, f.file, f.message])).digest("hex").slice(0, 32);
    const rank = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, rank);
    return `${hash}:${rank}`;
  });
}
