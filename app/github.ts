import type { Context } from "probot";
import { documentationOf, GitHubError, messageOf, statusOf, translateGitHubError } from "../src/github/errors.js";
import { listTree, readBlob, readFileAtRef, type GitHubRepository } from "../src/github/files.js";

/**
 * The app's writes to GitHub, and the lookups of who may write, each with the installation
 * permission it needs. File reads go through src/github/files.ts with the same Octokit, and every
 * failure through the one translation of src/github/errors.ts.
 */

type Octokit = Context["octokit"];

export { GitHubError } from "../src/github/errors.js";

export type Reaction = "eyes" | "rocket" | "confused";

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** False for a fork, including one that has since been deleted. */
  sameRepository: boolean;
}

export interface Permission {
  /** Push, maintain or admin. */
  canWrite: boolean;
  /** The role as GitHub names it (`triage`, `read`, `maintain`...), for the answer. */
  role: string;
}

export interface FileAtRef {
  text: string;
  sha: string;
}

export interface BlobInfo {
  sha: string;
  /** In bytes. */
  size: number;
}

export interface Commit {
  sha: string;
  url: string;
}

export interface PullRequestLink {
  number: number;
  url: string;
}

export class GitHubRepo {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
  ) {}

  /** This repository and the installation's Octokit, as src/github/files.ts takes them. */
  private get repository(): GitHubRepository {
    return { octokit: this.octokit as unknown as GitHubRepository["octokit"], owner: this.owner, repo: this.repo, credentials: "app" };
  }

  /** issues: write (reactions on pull-request comments count as issue comments). */
  async addReaction(commentId: number, content: Reaction): Promise<void> {
    try {
      await this.octokit.rest.reactions.createForIssueComment({ owner: this.owner, repo: this.repo, comment_id: commentId, content });
    } catch (error) {
      throw translate(error, "react to the comment", "issues: write");
    }
  }

  /** issues: write. The new comment's id. */
  async postComment(issueNumber: number, body: string): Promise<number> {
    try {
      const { data } = await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issueNumber, body });
      return data.id;
    } catch (error) {
      throw translate(error, "answer on the conversation", "issues: write");
    }
  }

  /** issues: write. */
  async deleteComment(commentId: number): Promise<void> {
    try {
      await this.octokit.rest.issues.deleteComment({ owner: this.owner, repo: this.repo, comment_id: commentId });
    } catch (error) {
      throw translate(error, "delete a duplicate answer", "issues: write");
    }
  }

  /**
   * issues: read (included in issues: write). The ids, oldest first, of this app's comments on the
   * conversation updated since `since` whose body holds `marker`. One page of 100, from one
   * request: an answer follows its command within seconds, so it is among the first comments after it.
   */
  async findComments(issueNumber: number, since: string, marker: string, appId: number): Promise<number[]> {
    try {
      const { data } = await this.octokit.rest.issues.listComments({ owner: this.owner, repo: this.repo, issue_number: issueNumber, since, per_page: 100 });
      // Only the app's own comment counts: a person or another bot quoting the marker must not silence it.
      return data
        .filter((comment) => comment.performed_via_github_app?.id === appId && (comment.body ?? "").includes(marker))
        .map((comment) => comment.id)
        .sort((a, b) => a - b);
    } catch (error) {
      throw translate(error, "look for an earlier answer", "issues: read");
    }
  }

  /**
   * metadata: read. Reads `user.permissions`, because `permission` folds maintain into write and
   * triage into read, and author_association misreads private organisation members.
   */
  async getPermission(username: string): Promise<Permission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.repo, username });
      const flags = data.user?.permissions;
      const canWrite = flags ? Boolean(flags.push || flags.maintain || flags.admin) : data.permission === "write" || data.permission === "admin";
      return { canWrite, role: data.role_name || data.permission };
    } catch (error) {
      const translated = translate(error, `look up the access of @${username}`, "metadata: read");
      if (translated.kind === "not_found") return { canWrite: false, role: "no" };
      throw translated;
    }
  }

  /** pull_requests: read. */
  async getPullRequest(number: number): Promise<PullRequestInfo> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number });
      const headRepo = data.head.repo?.full_name ?? null;
      return {
        number,
        headSha: data.head.sha,
        headRef: data.head.ref,
        baseRef: data.base.ref,
        sameRepository: headRepo !== null && headRepo.toLowerCase() === data.base.repo.full_name.toLowerCase(),
      };
    } catch (error) {
      throw translate(error, `read pull request #${number}`, "pull_requests: read");
    }
  }

  /** contents: read. Every file of a commit, with its blob's sha and size, from one recursive tree listing. */
  async listFiles(ref: string): Promise<{ files: string[]; blobs: Map<string, BlobInfo>; truncated: boolean }> {
    const { entries, truncated } = await listTree(this.repository, ref);
    const blobs = new Map(entries.map((entry) => [entry.path, { sha: entry.sha, size: entry.size }]));
    return { files: [...blobs.keys()], blobs, truncated };
  }

  /** contents: read. The bytes of one blob, by the sha a tree listing gave, so they are the listed commit's. */
  readBlob(path: string, sha: string): Promise<Uint8Array> {
    return readBlob(this.repository, sha, path);
  }

  /** contents: read. A settings file (the skip file) at a ref, null when it does not exist there; refused over MAX_SETTINGS_BYTES. */
  async readFile(path: string, ref: string): Promise<FileAtRef | null> {
    const file = await readFileAtRef(this.repository, path, ref);
    return file && { text: Buffer.from(file.bytes).toString("utf8"), sha: file.sha };
  }

  /**
   * contents: write. Sends the blob sha that was read (none for a new file), so GitHub refuses
   * the write when anyone changed the file or the branch in between.
   */
  async writeFile(options: { path: string; branch: string; text: string; sha: string | null; message: string }): Promise<Commit> {
    try {
      const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
        owner: this.owner,
        repo: this.repo,
        path: options.path,
        branch: options.branch,
        message: options.message,
        content: Buffer.from(options.text, "utf8").toString("base64"),
        ...(options.sha === null ? {} : { sha: options.sha }),
      });
      return { sha: data.commit.sha ?? "", url: data.commit.html_url ?? "" };
    } catch (error) {
      throw translateWrite(error, options.path, options.branch);
    }
  }

  /**
   * contents: write. A commit on top of `parent` whose tree is the parent's with these files'
   * texts in place, each keeping its mode; no branch moves, so nobody sees it until one does.
   * Only regular files are written: a link or a submodule is not the fixes' to change, and is
   * returned in `refused`; null when nothing is left to commit.
   */
  async createCommit(options: { parent: string; files: readonly { path: string; text: string }[]; message: (written: readonly string[]) => string }): Promise<{ commit: Commit | null; refused: string[] }> {
    const { entries } = await listTree(this.repository, options.parent);
    const modes = new Map(entries.map((entry) => [entry.path, entry.mode]));
    const refused = options.files.filter((file) => !REGULAR_FILE.has(modes.get(file.path) ?? "100644")).map((file) => file.path);
    const written = options.files.filter((file) => !refused.includes(file.path));
    if (written.length === 0) return { commit: null, refused };
    try {
      const { data: parent } = await this.octokit.rest.git.getCommit({ owner: this.owner, repo: this.repo, commit_sha: options.parent });
      const tree = written.map((file) => ({ path: file.path, mode: (modes.get(file.path) ?? "100644") as "100644" | "100755", type: "blob" as const, content: file.text }));
      const { data: created } = await this.octokit.rest.git.createTree({ owner: this.owner, repo: this.repo, base_tree: parent.tree.sha, tree });
      const { data: commit } = await this.octokit.rest.git.createCommit({ owner: this.owner, repo: this.repo, message: options.message(written.map((file) => file.path)), tree: created.sha, parents: [options.parent] });
      return { commit: { sha: commit.sha, url: commit.html_url }, refused };
    } catch (error) {
      throw translate(error, "commit the fixed files", "contents: write");
    }
  }

  /**
   * contents: write. Moves the branch to `sha` only when that fast-forwards it: a branch that
   * moved since its head was read refuses (kind `conflict`), as a stale blob sha does; a branch
   * that takes no direct commits is kind `protected`.
   */
  async moveBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.updateRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}`, sha, force: false });
    } catch (error) {
      throw translateWrite(error, "the fix commit", branch);
    }
  }

  /** contents: read. The commit a branch points at. */
  async getBranchHead(branch: string): Promise<string> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      throw translate(error, `read the branch ${branch}`, "contents: read");
    }
  }

  /** contents: write. Kind `exists` when the branch is already there. */
  async createBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) throw new GitHubError("exists", 422, `the branch ${branch} already exists`);
      throw translate(error, `create the branch ${branch}`, "contents: write");
    }
  }

  /** contents: write. Removes a branch the app made, such as the one of a fallback that failed. */
  async deleteBranch(branch: string): Promise<void> {
    try {
      await this.octokit.rest.git.deleteRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}` });
    } catch (error) {
      throw translate(error, `delete the branch ${branch}`, "contents: write");
    }
  }

  /** pull_requests: read. An open pull request from a branch of this repository, if any. */
  async findPullRequest(branch: string, base: string): Promise<PullRequestLink | null> {
    try {
      const { data } = await this.octokit.rest.pulls.list({ owner: this.owner, repo: this.repo, head: `${this.owner}:${branch}`, base, state: "open", per_page: 1 });
      const pull = data[0];
      return pull ? { number: pull.number, url: pull.html_url } : null;
    } catch (error) {
      throw translate(error, `look for a pull request from ${branch}`, "pull_requests: read");
    }
  }

  /** pull_requests: write. */
  async createPullRequest(options: { branch: string; base: string; title: string; body: string }): Promise<PullRequestLink> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ owner: this.owner, repo: this.repo, head: options.branch, base: options.base, title: options.title, body: options.body });
      return { number: data.number, url: data.html_url };
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) throw new GitHubError("exists", 422, `a pull request from ${options.branch} already exists`);
      throw translate(error, `open a pull request against ${options.base}`, "pull_requests: write");
    }
  }
}

/** The modes of files a commit may rewrite: plain and executable ones. */
const REGULAR_FILE = new Set(["100644", "100755"]);

/** What a refused write means: someone else wrote first, or the branch does not take direct commits. */
function translateWrite(error: unknown, path: string, branch: string): GitHubError {
  const status = statusOf(error);
  const message = messageOf(error);
  const protectedBranch = /protected branch|through a pull request|rule violation|required status check|about-protected-branches/i;
  if ((status === 409 || status === 422 || status === 403) && protectedBranch.test(`${message} ${documentationOf(error)}`)) {
    return new GitHubError("protected", status, `the branch ${branch} does not accept direct commits (${message || "protected"})`);
  }
  // 409: the blob sha no longer matches; 422: the branch moved under the write, or the file appeared.
  if (status === 409) return new GitHubError("conflict", status, `${path} changed on ${branch} while it was being edited`);
  if (status === 422 && /does not match|but expected|"?sha"? wasn't supplied|reference update failed|fast.forward|reference cannot be updated/i.test(message)) {
    return new GitHubError("conflict", status, `${branch} moved while ${path} was being edited`);
  }
  return translate(error, `commit ${path} to ${branch}`, "contents: write");
}

function translate(error: unknown, action: string, permission: string): GitHubError {
  // The app's answers say "on this repository": the conversation names it.
  return translateGitHubError(error, { action, permission, repo: "this repository", credentials: "app" });
}
