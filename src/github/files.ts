import { thousands } from "../parse/text.js";
import { MAX_SETTINGS_BYTES } from "../skips/index.js";
import { GitHubError, translateGitHubError, type GitHubCall } from "./errors.js";

/**
 * Every read of a repository's files: the default branch, a tree listing, blobs, and one file at a
 * ref (the skip file). Each function states the permission it needs. The CLI and the Action
 * call them with the client of client.ts, the App with probot's `context.octokit`.
 */

/** What these functions need of an Octokit: its `request`, and `graphql` for blob batches. Probot's and ours both fit. */
export interface GitHubRequester {
  request: (route: string, parameters?: Record<string, unknown>) => Promise<{ data: unknown }>;
  graphql?: (query: string, parameters?: Record<string, unknown>) => Promise<unknown>;
}

/** A repository and the Octokit that reads it. */
export interface GitHubRepository {
  octokit: GitHubRequester;
  owner: string;
  repo: string;
  /** Whose credentials the Octokit holds, for the words of its errors. */
  credentials: GitHubCall["credentials"];
  /** Strings never to show, such as the token. */
  secrets?: readonly (string | null | undefined)[];
  /** True when the Octokit holds no credentials. */
  anonymous?: boolean;
}

export interface TreeEntry {
  path: string;
  mode: string;
  sha: string;
  /** In bytes. */
  size: number;
}

export interface FileAtRef {
  bytes: Uint8Array;
  /** The blob's sha, which a write of the file sends back. */
  sha: string;
}

/** The most blobs one GraphQL request asks for. */
export const BLOB_BATCH = 50;

/** metadata: read. The repository's default branch. */
export async function readDefaultBranch(repository: GitHubRepository): Promise<string> {
  const data = await call(repository, "read the repository", "metadata: read", () => repository.octokit.request("GET /repos/{owner}/{repo}", coordinates(repository)));
  return (data as { default_branch: string }).default_branch;
}

/** contents: read. Every blob of a commit, branch or tag, from one recursive tree listing; `truncated` past GitHub's cut (100,000 entries or 7 MB). */
export async function listTree(repository: GitHubRepository, ref: string): Promise<{ entries: TreeEntry[]; truncated: boolean }> {
  const data = (await call(repository, `list the files of ${ref}`, "contents: read", () =>
    repository.octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { ...coordinates(repository), tree_sha: ref, recursive: "1" }),
  )) as { tree: { path?: string; mode?: string; type?: string; sha?: string; size?: number }[]; truncated: boolean };
  const entries: TreeEntry[] = [];
  for (const item of data.tree) {
    if (item.type !== "blob" || typeof item.path !== "string" || typeof item.sha !== "string") continue;
    entries.push({ path: item.path, mode: item.mode ?? "100644", sha: item.sha, size: item.size ?? 0 });
  }
  return { entries, truncated: data.truncated === true };
}

/** contents: read. A blob's bytes exactly as stored, by the sha a tree listing gave, so they are the listed commit's. */
export async function readBlob(repository: GitHubRepository, sha: string, path: string): Promise<Uint8Array> {
  const data = await call(repository, `read ${path}`, "contents: read", () =>
    repository.octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      ...coordinates(repository),
      file_sha: sha,
      mediaType: { format: "raw" },
      // The body as it came: decoding it as text would turn invalid UTF-8 into U+FFFD.
      request: { parseSuccessResponseBody: false },
    }),
  );
  return new Uint8Array(await new Response(data as ReadableStream<Uint8Array> | null).arrayBuffer());
}

/**
 * contents: read (GraphQL). The text of up to BLOB_BATCH blobs in one request, by sha; a blob
 * GraphQL cannot give whole as text (binary, truncated, or bytes lost to decoding) is left out,
 * for readBlob. A failed request leaves them all out.
 */
export async function readBlobTexts(repository: GitHubRepository, blobs: readonly { sha: string; size: number }[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  const { graphql } = repository.octokit;
  if (!graphql || blobs.length === 0) return found;
  const fields = blobs.map((blob, i) => `b${i}: object(oid: "${blob.sha}") { ... on Blob { text isBinary isTruncated } }`).join("\n");
  const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {\n${fields}\n} }`;
  let data: { repository: Record<string, { text: string | null; isBinary: boolean; isTruncated: boolean } | null> | null } | null;
  try {
    data = (await graphql(query, { owner: repository.owner, name: repository.repo })) as typeof data;
  } catch {
    return found;
  }
  blobs.forEach((blob, i) => {
    const text = data?.repository?.[`b${i}`];
    if (!text || text.text === null || text.isBinary || text.isTruncated) return;
    // Text that does not re-encode to the blob's size lost bytes on the way (invalid UTF-8 turned
    // into U+FFFD): the verdict on it must match the workspace's, so its bytes are fetched instead.
    const bytes = new TextEncoder().encode(text.text);
    if (bytes.length === blob.size) found.set(blob.sha, bytes);
  });
  return found;
}

/**
 * contents: read. A file's bytes and blob sha at a ref, or null when the ref has no such file:
 * how the Action and the App read the skip file (`.github/skilldex.yml`), refused unread over
 * `maxBytes`, MAX_SETTINGS_BYTES by default. A 404 is also what GitHub answers a token that cannot
 * see the repository; listing its files fails then too, with the clearer message.
 */
export async function readFileAtRef(repository: GitHubRepository, path: string, ref: string, maxBytes = MAX_SETTINGS_BYTES): Promise<FileAtRef | null> {
  let data: { type?: string; encoding?: string; content?: string; sha: string; size: number };
  try {
    data = (await call(repository, `read ${path} at ${ref}`, "contents: read", () => repository.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...coordinates(repository), path, ref }))) as typeof data;
  } catch (error) {
    if (error instanceof GitHubError && error.kind === "not_found") return null;
    throw error;
  }
  if (Array.isArray(data) || data.type !== "file") throw new GitHubError("failed", null, `could not read ${path} at ${ref}: it is not a file`, "contents: read");
  if (data.size > maxBytes) {
    throw new GitHubError("failed", null, `could not read ${path} at ${ref}: it is ${thousands(data.size)} bytes, over the ${maxBytes / 1024 / 1024} MiB a settings file may hold`, "contents: read");
  }
  // Files over 1 MB come without content; the blob endpoint serves them.
  if (data.encoding === "base64" && typeof data.content === "string") return { bytes: new Uint8Array(Buffer.from(data.content, "base64")), sha: data.sha };
  return { bytes: await readBlob(repository, data.sha, path), sha: data.sha };
}

function coordinates(repository: GitHubRepository): { owner: string; repo: string } {
  return { owner: repository.owner, repo: repository.repo };
}

/** One request, its failure translated once, here. */
async function call(repository: GitHubRepository, action: string, permission: string, send: () => Promise<{ data: unknown }>): Promise<unknown> {
  try {
    return (await send()).data;
  } catch (error) {
    throw translateGitHubError(error, { action, permission, repo: `${repository.owner}/${repository.repo}`, credentials: repository.credentials, secrets: repository.secrets ?? [], anonymous: repository.anonymous === true });
  }
}
