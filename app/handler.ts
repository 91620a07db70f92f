import type { Span } from "@opentelemetry/api";
import type { Context, Logger } from "probot";
import { discoveryHints, manifestJson } from "../src/discover/hints.js";
import { discover } from "../src/discover/index.js";
import { MAX_MANIFEST_BYTES } from "../src/pipeline/read.js";
import { parseSkipFile, SKIP_FILE_PATH, SkipEditError, SkipFileError, skipTimestamp, type SkilldexConfig } from "../src/skips/index.js";
import { KEY_SYNTAX, resolveTargets } from "../src/skips/resolve.js";
import { NEVER_WALKED } from "../src/source/types.js";
import type { Redactor } from "../src/telemetry/redact.js";
import { withSpan } from "../src/telemetry/trace.js";
import { type Command, MAX_COMMANDS, parseComment } from "./commands.js";
import { commitPart, editOutcome, keyEdits, type PlannedChange, type Requester, SkipPreferencesDisabled } from "./edit.js";
import { type BlobInfo, GitHubError, GitHubRepo, type Permission } from "./github.js";
import type { AppMetrics, WebhookResult } from "./metrics.js";
import { withChildSpan } from "../src/telemetry/trace.js";
import { deliveryLog, observeGitHubCalls } from "./observe.js";
import { allSucceeded, keysOf, type Outcome } from "./outcome.js";
import { code, renderPullRequest, renderReply, replyMarker } from "./reply.js";
import { type Delivery, type RetrySettings, type SkipFileWrites, type WriteRequest, writeChanges } from "./write.js";

export interface AppSettings extends RetrySettings {
  /** ENABLE_SKIP_PREFERENCES: false answers every command with "disabled". */
  enabled: boolean;
  now: () => Date;
  /** This process's counters, served at /metrics. */
  metrics: AppMetrics;
  /** Hides the app's secrets in anything GitHub said before it reaches an answer or a log line. */
  redactor: Redactor;
  /** This process's writes to skip files, coalesced per branch. */
  writes: SkipFileWrites;
  /** The GitHub App's id (APP_ID): only comments it made count as its answers. */
  appId: number;
}

export type CommentContext = Context<"issue_comment.created">;

/** Where a conversation's commands read from and write to. */
interface Conversation {
  /** The commit or branch whose artifacts keys resolve against, and whose skip file `/skips` lists. */
  viewRef: string;
  /** How the answer names that place. */
  viewName: string;
  direct: string | null;
  base: string;
  why: "fork" | "issue";
}

/**
 * One comment: parse, acknowledge, check access, resolve keys, write once, answer once, log a
 * line per command. Nothing here talks to GitHub except through GitHubRepo. Says whether the
 * delivery held commands, for the latency histogram.
 */
export async function handleComment(context: CommentContext, settings: AppSettings): Promise<WebhookResult> {
  const { comment, issue, repository } = context.payload;
  if (context.isBot || comment.user?.type === "Bot") return "ignored";
  const { commands, notRun } = parseComment(comment.body ?? "");
  if (commands.length === 0) return "ignored";

  const started = performance.now();
  const login = comment.user?.login ?? context.payload.sender.login;
  const log = deliveryLog(context).child({ issue: issue.number, comment: comment.id, user: login });
  observeGitHubCalls(context.octokit, settings.metrics, log);
  const repo = new GitHubRepo(context.octokit, repository.owner.login, repository.name);
  const attributes = {
    "skilldex.command": [...new Set(commands.map((c) => c.verb))].join(","),
    "skilldex.commands": commands.length,
    "skilldex.repository": repository.full_name,
    "github.delivery": context.id,
  };

  await withSpan("skilldex.command", attributes, async (span) => {
    // A redelivered webhook (GitHub's Redeliver, or a retry after a timeout) finds its answer on
    // the conversation and stops, so the app needs no memory of its own to answer once.
    const earlier = (await findAnswers(log, repo, issue.number, comment, settings.appId))[0];
    if (earlier !== undefined) {
      span.setAttribute("skilldex.answered_by", earlier);
      log.info({ reply: earlier, durationMs: elapsed(started) }, "skilldex already answered the comment");
      return;
    }
    // The 👀 goes out while the command runs; the final reaction waits for it, to keep their order.
    const eyes = react(log, repo, comment.id, "eyes");

    let outcomes: Outcome[];
    try {
      outcomes = await decide(context, log, span, repo, commands, login, settings);
    } catch (error) {
      if (!(error instanceof GitHubError)) {
        // A bug, not GitHub: each command it took down still ends in its one line.
        for (const command of commands) {
          settings.metrics.commandHandled(command.verb, "failed");
          log.error({ command: command.verb, target: command.target, outcome: "failed", problem: describeError(error), answered: false, durationMs: elapsed(started) }, "skilldex command handled");
        }
        throw error;
      }
      outcomes = commands.map((command) => failed(command, error, settings.redactor));
    }

    let answered = false;
    await withChildSpan(span, "skilldex.answer", {}, async () => {
      let reply: number | null = null;
      try {
        reply = await repo.postComment(issue.number, renderReply(comment.id, outcomes, { notRun, limit: MAX_COMMANDS }));
        answered = true;
      } catch (error) {
        log.error({ problem: settings.redactor.redact(describeError(error)) }, "skilldex could not answer the comment");
        // Nothing more can reach a GitHub that could not be reached a moment ago.
        if (error instanceof GitHubError && error.kind === "unreachable") return void (await eyes);
      }
      await eyes;
      if (reply !== null && (await withdrawIfSecond(log, repo, issue.number, comment, reply, settings.appId))) return;
      await react(log, repo, comment.id, allSucceeded(outcomes) ? "rocket" : "confused");
    });

    const durationMs = elapsed(started);
    const kinds = new Set(outcomes.map((o) => o.kind));
    span.setAttributes({ "skilldex.keys": outcomes.reduce((n, o) => n + keysOf(o).length, 0), "skilldex.outcome": kinds.size === 1 ? [...kinds][0] : "mixed" });
    for (const outcome of outcomes) {
      settings.metrics.commandHandled(outcome.command.verb, outcome.kind);
      const delivery = "delivery" in outcome ? outcome.delivery : null;
      log.info(
        {
          command: outcome.command.verb,
          target: outcome.command.target,
          outcome: outcome.kind,
          keys: keysOf(outcome),
          commit: delivery?.kind === "commit" ? delivery.commit.sha : undefined,
          pullRequest: delivery?.kind === "pull" ? delivery.pull.number : undefined,
          problem: outcome.kind === "failed" ? outcome.message : outcome.kind === "malformed" ? outcome.problem : undefined,
          answered,
          durationMs,
        },
        "skilldex command handled",
      );
    }
  });
  return "commands";
}

function failed(command: Command, error: GitHubError, redactor: Redactor): Outcome {
  return { kind: "failed", command, message: redactor.redact(error.message) };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function decide(context: CommentContext, log: Logger, span: Span, repo: GitHubRepo, commands: Command[], login: string, settings: AppSettings): Promise<Outcome[]> {
  if (!settings.enabled) return commands.map((command) => ({ kind: "disabled", command, source: "environment" }));
  const writes = commands.filter((c) => c.verb !== "skips");
  // Asked at the same time as the file is read: both are a round trip to GitHub.
  const asked =
    writes.length === 0
      ? null
      : withChildSpan(span, "skilldex.permission", {}, async (check) => {
          const found = await repo.getPermission(login);
          check.setAttributes({ "skilldex.role": found.role, "skilldex.can_write": String(found.canWrite) });
          return found;
        }).then(
          (found) => ({ found }),
          (error: unknown) => ({ error }),
        );
  const { conversation, viewed } = await withChildSpan(span, "skilldex.read", { "skilldex.path": SKIP_FILE_PATH }, async (read) => {
    const conversation = await findConversation(context, repo);
    read.setAttribute("skilldex.ref", conversation.viewName);
    return { conversation, viewed: await repo.readFile(SKIP_FILE_PATH, conversation.viewRef) };
  });
  let config: SkilldexConfig;
  try {
    config = parseSkipFile(viewed?.text ?? "");
  } catch (error) {
    if (!(error instanceof SkipFileError)) throw error;
    return commands.map((command) => ({ kind: "malformed", command, problem: error.message }));
  }
  if (!config.skipPreferences) return commands.map((command) => ({ kind: "disabled", command, source: "file" }));

  const outcomes = new Map<Command, Outcome>();
  let permission: Permission | null = null;
  if (asked !== null) {
    const answer = await asked;
    if ("error" in answer) throw answer.error;
    permission = answer.found;
  }

  const planned: { command: Command; change: PlannedChange }[] = [];
  if (permission?.canWrite) {
    const { artifacts, truncated } = await withChildSpan(span, "skilldex.resolve", {}, async (resolve) => {
      const listed = await listArtifacts(log, repo, conversation.viewRef, context.payload.repository.name);
      resolve.setAttribute("skilldex.artifacts", listed.artifacts.length);
      return listed;
    });
    for (const command of writes) {
      const keys = resolveCommand(command, artifacts, config);
      if (typeof keys === "string") outcomes.set(command, { kind: "usage", command, message: keys });
      else if ("suggestions" in keys) outcomes.set(command, { kind: "unknown", command, suggestions: keys.suggestions, truncated });
      else planned.push({ command, change: { verb: command.verb as "skip" | "unskip", keys: keys.keys, reason: command.reason } });
    }
  } else if (permission) {
    for (const command of writes) outcomes.set(command, { kind: "not_allowed", command, login, role: permission.role });
  }

  let afterText: string | null = viewed?.text ?? null;
  if (planned.length > 0) {
    const requester: Requester = { login, ref: `#${context.payload.issue.number}`, at: skipTimestamp(settings.now()) };
    const changes = planned.map((p) => p.change);
    try {
      const { outcome, delivery } = await withChildSpan(span, "skilldex.write", { "skilldex.keys": changes.reduce((n, c) => n + c.keys.length, 0) }, async (write) => {
        const written = await writeChanges(repo, writeRequest(context, conversation, changes, requester), settings, settings.writes);
        write.setAttribute("skilldex.written_to", written.delivery.kind);
        return written;
      });
      if (delivery.kind === "commit" && delivery.branch === conversation.viewName) afterText = outcome.text;
      planned.forEach(({ command }, i) => outcomes.set(command, changeOutcome(command, outcome.results[i] ?? { changed: [], unchanged: [] }, delivery)));
    } catch (error) {
      if (error instanceof SkipFileError) return commands.map((command) => ({ kind: "malformed", command, problem: error.message }));
      if (error instanceof SkipPreferencesDisabled) return commands.map((command) => ({ kind: "disabled", command, source: "file" }));
      // An edit the file cannot hold is refused before anything is written: say so, it is no bug.
      if (error instanceof SkipEditError) {
        for (const { command } of planned) outcomes.set(command, { kind: "failed", command, message: settings.redactor.redact(error.message) });
      } else if (!(error instanceof GitHubError)) throw error;
      else for (const { command } of planned) outcomes.set(command, failed(command, error, settings.redactor));
    }
  }

  const listed = parseSkipFile(afterText ?? "").skip;
  for (const command of commands) {
    if (command.verb === "skips") outcomes.set(command, { kind: "listed", command, entries: listed, branch: conversation.viewName, fileExists: afterText !== null });
  }
  return commands.map((command) => outcomes.get(command) as Outcome);
}

/** Where and how one comment's changes are written, and the words of the commit and pull request. */
function writeRequest(context: CommentContext, conversation: Conversation, changes: PlannedChange[], requester: Requester): WriteRequest {
  const { issue, comment } = context.payload;
  return {
    direct: conversation.direct,
    base: conversation.base,
    why: conversation.why,
    fallbackBranch: `skilldex/skip-${issue.number}-${comment.id}`,
    edits: keyEdits(changes, requester),
    outcome: (flags, text) => editOutcome(changes, flags, text),
    commitPart: (edit) => commitPart(changes, edit, requester),
    pullRequest: (edit) => renderPullRequest(commitPart(changes, edit, requester), requester, comment.html_url),
  };
}

function changeOutcome(command: Command, result: { changed: string[]; unchanged: string[] }, delivery: Delivery): Outcome {
  if (result.changed.length === 0) return { kind: "already", command, keys: result.unchanged, delivery };
  return { kind: "done", command, changed: result.changed, unchanged: result.unchanged, delivery };
}

async function findConversation(context: CommentContext, repo: GitHubRepo): Promise<Conversation> {
  const { issue } = context.payload;
  const defaultBranch = context.payload.repository.default_branch;
  if (!issue.pull_request) return { viewRef: defaultBranch, viewName: defaultBranch, direct: null, base: defaultBranch, why: "issue" };
  const pull = await repo.getPullRequest(issue.number);
  return {
    viewRef: pull.headSha,
    viewName: pull.sameRepository ? pull.headRef : `${pull.headRef} (fork)`,
    direct: pull.sameRepository ? pull.headRef : null,
    base: pull.baseRef,
    why: "fork",
  };
}

/**
 * The artifacts of a commit, keyed as a scan of it keys them: from one tree listing, plus the
 * marketplace.json and plugin.json files in it (one request each), which say what else is a plugin
 * or an artifact.
 */
async function listArtifacts(log: Logger, repo: GitHubRepo, ref: string, repoName: string) {
  const { files, blobs, truncated } = await repo.listFiles(ref);
  const walked = files.filter((file) => !file.split("/").some((part) => NEVER_WALKED.has(part))).sort();
  const hints = await discoveryHints(walked, (path) => readManifest(log, repo, path, blobs.get(path)));
  return { artifacts: discover(walked, { repoName, ...hints }), truncated };
}

/** A manifest's JSON; undefined, with a log line, when it cannot be read or parsed, so it gives no hints. */
async function readManifest(log: Logger, repo: GitHubRepo, path: string, blob: BlobInfo | undefined): Promise<unknown> {
  if (blob === undefined) return undefined;
  if (blob.size > MAX_MANIFEST_BYTES) {
    // A scan refuses it too, so its keys do not depend on it either.
    log.warn({ path, size: blob.size }, "skilldex did not read a manifest over 1 MiB; keys resolve without it");
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await repo.readBlob(path, blob.sha);
  } catch (error) {
    log.warn({ path, problem: describeError(error) }, "skilldex could not read a manifest; keys resolve without it");
    return undefined;
  }
  const value = manifestJson(bytes);
  if (value === undefined) log.warn({ path }, "skilldex found a manifest that is not valid JSON; keys resolve without it");
  return value;
}

/** The keys a command names, its closest matches when none, or a usage message. */
function resolveCommand(
  command: Command,
  artifacts: ReturnType<typeof discover>,
  config: SkilldexConfig,
): string | { keys: string[] } | { suggestions: string[] } {
  if (command.target === null) return `${command.verb === "skip" ? "`/skip <key-or-path> [reason]`" : "`/unskip <key-or-path>`"} needs an artifact key or path, such as \`skill:legacy-pdf\`.`;
  // `Skill:PDF` means `skill:PDF`: the type prefix is a fixed word, the name is matched by the core.
  const target = command.target.replace(/^[a-z]+(?=:)/i, (type) => type.toLowerCase());
  if (command.verb === "unskip" && KEY_SYNTAX.test(target)) {
    // A skipped key stays removable after its artifact is gone.
    const listed = config.skip.find((entry) => entry.key.toLowerCase() === target.toLowerCase());
    if (listed) return { keys: [listed.key] };
  }
  const resolution = resolveTargets(target, artifacts);
  if (resolution.keys.length === 0) return { suggestions: resolution.suggestions };
  // A key the skip file could not hold back (a name with leading or trailing spaces) is refused, not written.
  const unwritable = resolution.keys.filter((key) => !KEY_SYNTAX.test(key));
  if (unwritable.length > 0) {
    return `${unwritable.map(code).join(", ")} cannot be recorded in the skip file: a key cannot start or end with a space. Rename the folder or file, or list it under \`exclude\` in \`${SKIP_FILE_PATH}\` by hand.`;
  }
  return { keys: resolution.keys };
}

type CommandComment = CommentContext["payload"]["comment"];

/**
 * The app's answers to a comment already on its conversation, oldest first. When they cannot be
 * listed, none: answering twice is better than not answering.
 */
async function findAnswers(log: Logger, repo: GitHubRepo, issueNumber: number, comment: CommandComment, appId: number): Promise<number[]> {
  // A second earlier, because the payload's time drops the milliseconds the answer may share.
  const since = new Date(Date.parse(comment.created_at) - 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  try {
    return await repo.findComments(issueNumber, since, replyMarker(comment.id), appId);
  } catch (error) {
    log.warn({ problem: describeError(error) }, "skilldex could not look for an earlier answer");
    return [];
  }
}

/**
 * Two replicas handling the same delivery at once both find no answer and both post one. Each
 * then looks again; the one whose answer is not the oldest deletes it and adds no reaction.
 */
async function withdrawIfSecond(log: Logger, repo: GitHubRepo, issueNumber: number, comment: CommandComment, reply: number, appId: number): Promise<boolean> {
  const first = (await findAnswers(log, repo, issueNumber, comment, appId))[0];
  if (first === undefined || first >= reply) return false;
  try {
    await repo.deleteComment(reply);
    log.info({ reply, kept: first }, "skilldex withdrew a second answer to the comment");
  } catch (error) {
    log.warn({ problem: describeError(error), reply, kept: first }, "skilldex could not withdraw a second answer to the comment");
  }
  return true;
}

async function react(log: Logger, repo: GitHubRepo, commentId: number, content: "eyes" | "rocket" | "confused"): Promise<void> {
  try {
    await repo.addReaction(commentId, content);
  } catch (error) {
    // A missing reaction is cosmetic; the reply still says what happened.
    log.warn({ problem: describeError(error) }, `skilldex could not add the ${content} reaction`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
