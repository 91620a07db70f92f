import type { Logger } from "probot";
import type { Artifact } from "../src/model.js";
import { collectArtifacts } from "../src/pipeline/artifacts.js";
import { ManifestReader } from "../src/pipeline/read.js";
import { compareEntries } from "../src/source/clone.js";
import { type FileListing, type FileSource, NEVER_WALKED, type ReadResult, type SourceComparison } from "../src/source/types.js";
import type { BlobInfo, GitHubRepo } from "./github.js";

/**
 * The files of one commit as the App sees them: one recursive tree listing, and a blob read for
 * each file the artifacts stage asks for, by the sha the listing gave, so every byte is the
 * listed commit's. A file that cannot be read is logged and left out, so keys resolve without it.
 */
export class TreeSource implements FileSource {
  readonly strategy = "api";
  /** GitHub cut the listing of a very large tree: some artifacts could not be seen. */
  truncated = false;
  /** The files read whole, for the log line about manifests that are no JSON. */
  readonly read: string[] = [];
  private blobs = new Map<string, BlobInfo>();

  constructor(
    private readonly repo: GitHubRepo,
    private readonly ref: string,
    private readonly log: Logger,
  ) {}

  async listFiles(): Promise<FileListing> {
    const listed = await this.repo.listFiles(this.ref);
    this.blobs = listed.blobs;
    this.truncated = listed.truncated;
    const files = listed.files.filter((file) => !file.split("/").some((part) => NEVER_WALKED.has(part))).sort();
    return { files, warnings: [] };
  }

  /** What differs from another commit, by blob sha: one more tree listing, no blob read. */
  async compareWithBase(base: string): Promise<SourceComparison> {
    const atBase = await this.repo.listFiles(base);
    if (this.blobs.size === 0) await this.listFiles();
    return compareEntries(new Map([...atBase.blobs].map(([path, blob]) => [path, blob.sha])), this.blobs);
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    const blob = this.blobs.get(path);
    if (blob === undefined) return { ok: false, code: "io_error", message: `${path} is not in the listing of ${this.ref}`, missing: true };
    if (blob.size > maxBytes) {
      // A scan refuses it too, so its keys do not depend on it either.
      this.log.warn({ path, size: blob.size }, "skilldex did not read a manifest over 1 MiB; keys resolve without it");
      return { ok: false, code: "too_large", size: blob.size };
    }
    try {
      const bytes = await this.repo.readBlob(path, blob.sha);
      this.read.push(path);
      return { ok: true, bytes };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn({ path, problem: message }, "skilldex could not read a manifest; keys resolve without it");
      return { ok: false, code: "io_error", message };
    }
  }
}

/**
 * The artifacts of a commit, keyed as a scan of it keys them: the pipeline's artifacts stage over
 * the commit's tree, reading only the manifests that say what else is a plugin or an artifact.
 */
export async function listArtifacts(log: Logger, repo: GitHubRepo, ref: string, repoName: string): Promise<{ artifacts: Artifact[]; truncated: boolean }> {
  const source = new TreeSource(repo, ref, log);
  const reader = new ManifestReader(source);
  const { artifacts } = await collectArtifacts({ reader, repoName });
  for (const path of source.read) {
    const parsed = reader.parsed(path);
    if (path.endsWith(".json") && (parsed === null || (parsed.format === "json" && parsed.value === undefined))) {
      log.warn({ path }, "skilldex found a manifest that is not valid JSON; keys resolve without it");
    }
  }
  return { artifacts, truncated: source.truncated };
}
