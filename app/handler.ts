import type { Span } from "@opentelemetry/api";
import type { Logger } from "probot";
import { resolveSkipCommand, type SkipChange, SkipPreferencesDisabled, unwritableMessage } from "../src/skips/command.js";
import { parseSkipFile, SKIP_FILE_PATH, SkipEditError, SkipFileError, skipTimestamp, type SkilldexConfig } from "../src/skips/index.js";
import type { Redactor } from "../src/telemetry/redact.js";
import { withChildSpan, withSpan } from "../src/telemetry/trace.js";
import { planAllow } from "./allow.js";
import { Answers, describeError } from "./answers.js";
import { type Command, MAX_COMMANDS, parseComment } from "./commands.js";
import { runFixCommand } from "./fix-command.js";
import { type FileAtRef, GitHubError, GitHubRepo, type Permission } from "./github.js";
import type { AppMetrics, WebhookResult } from "./metrics.js";
import type { ScanSettings } from "./scan.js";
import type { RecentScans } from "./scan-events.js";
import type { ScanQueue } from "./scan-queue.js";
import { type CommentContext, deliveryLog, observeGitHubCalls, recordCrash, recordOutcomes } from "./observe.js";
import { allSucceeded, type Outcome, type Requester } from "./outcome.js";
import { code, fitComment, renderPullRequest, renderReply } from "./reply.js";
import { listArtifacts } from "./tree-source.js";
import { type RetrySettings, type SkipFileWrites, type WriteRequest, writeChanges } from "./write.js";

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
  /** Where scans wait for a worker: in this process, or on Redis. */
  scans: ScanQueue;
  /** Commits this process queued lately, so the check suite GitHub sends with a push does not scan twice. */
  recent: RecentScans;
  /** How a scan fetches the files. */
  scan: ScanSettings;
}

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

/** One delivery's commands on their way: what the stages below share. */
interface Handling {
  context: CommentContext;
  commands: Command[];
  login: string;
  log: Logger;
  span: Span;
  repo: GitHubRepo;
  settings: AppSettings;
}

/** A permission lookup under way, its failure kept for when the answer is needed. */
type AskedPermission = Promise<{ found: Permission } | { error: unknown }> | null;

/**
 * One comment: bot? → parse → dedupe → permission → core → answer, and a log line per command.
 * Nothing here talks to GitHub except through GitHubRepo. Says whether the delivery held
 * commands, for the latency histogram.
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
  const answers = new Answers(log, repo, issue.number, comment, settings.appId, settings.redactor);
  const attributes = {
    "skilldex.command": [...new Set(commands.map((c) => c.verb))].join(","),
    "skilldex.commands": commands.length,
    "skilldex.repository": repository.full_name,
    "github.delivery": context.id,
  };

  await withSpan("skilldex.command", attributes, async (span) => {
    const earlier = await answers.earlier();
    if (earlier !== undefined) {
      span.setAttribute("skilldex.answered_by", earlier);
      log.info({ reply: earlier, durationMs: elapsed(started) }, "skilldex already answered the comment");
      return;
    }
    answers.acknowledge();
    const handling: Handling = { context, commands, login, log, span, repo, settings };
    const permission = askPermission(handling);
    // `/skilldex fix` runs once, after the skip file's commands, and answers in the same comment.
    const skipCommands = commands.filter((c) => c.verb !== "fix");
    const fix = commands.find((c) => c.verb === "fix");
    const outcomes = skipCommands.length > 0 ? await decideOrFail({ ...handling, commands: skipCommands }, permission, started) : [];
    const fixed = fix && permission ? await withChildSpan(span, "skilldex.fix", {}, () => runFixCommand(handling, fix, permission)) : null;
    const reply = renderReply(comment.id, outcomes, { notRun, limit: MAX_COMMANDS });
    const body = fixed ? fitComment(`${reply}\n${fixed.line}`) : reply;
    const answered = await withChildSpan(span, "skilldex.answer", {}, () => answers.post(body, allSucceeded(outcomes) && (fixed === null || fixed.kind === "done" || fixed.kind === "already")));
    recordOutcomes(log, span, settings.metrics, outcomes, { answered, durationMs: elapsed(started) });
  });
  return "commands";
}

/**
 * The commenter's access, asked only when a command writes, and at the same time as the skip
 * file is read: both are a round trip to GitHub.
 */
function askPermission({ commands, settings, span, repo, login }: Handling): AskedPermission {
  const fixes = commands.some((c) => c.verb === "fix");
  if (!fixes && (!settings.enabled || commands.every((c) => c.verb === "skips"))) return null;
  return withChildSpan(span, "skilldex.permission", {}, async (check) => {
    const found = await repo.getPermission(login);
    check.setAttributes({ "skilldex.role": found.role, "skilldex.can_write": String(found.canWrite) });
    return found;
  }).then(
    (found) => ({ found }),
    (error: unknown) => ({ error }),
  );
}

/** The outcomes, every command failed when GitHub failed; a bug still ends each command in its one line. */
async function decideOrFail(handling: Handling, permission: AskedPermission, started: number): Promise<Outcome[]> {
  const { commands, settings, log } = handling;
  try {
    return await decide(handling, permission);
  } catch (error) {
    if (error instanceof GitHubError) return commands.map((command) => failed(command, error, settings.redactor));
    recordCrash(log, settings.metrics, commands, describeError(error), elapsed(started));
    throw error;
  }
}

/** Reads the skip file, resolves the writing commands for someone who may write, writes once, lists. */
async function decide(handling: Handling, permission: AskedPermission): Promise<Outcome[]> {
  const { commands, settings, span } = handling;
  if (!settings.enabled) return commands.map((command) => ({ kind: "disabled", command, source: "environment" }));
  const { conversation, viewed } = await withChildSpan(span, "skilldex.read", { "skilldex.path": SKIP_FILE_PATH }, async (read) => {
    const conversation = await findConversation(handling);
    read.setAttribute("skilldex.ref", conversation.viewName);
    return { conversation, viewed: await handling.repo.readFile(SKIP_FILE_PATH, conversation.viewRef) };
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
  let afterText = viewed?.text ?? null;
  const writes = commands.filter((c) => c.verb !== "skips");
  const answer = await permission;
  if (answer !== null && "error" in answer) throw answer.error;
  if (answer?.found.canWrite) {
    const requester: Requester = { login: handling.login, ref: `#${handling.context.payload.issue.number}`, at: skipTimestamp(settings.now()) };
    const planned = await planChanges(handling, conversation, config, writes, requester, outcomes);
    const written = planned.length === 0 ? { afterText } : await writeOnce(handling, conversation, planned, requester, viewed, outcomes);
    if ("blocked" in written) return written.blocked;
    afterText = written.afterText;
  } else if (answer) {
    for (const command of writes) outcomes.set(command, { kind: "not_allowed", command, login: handling.login, role: answer.found.role });
  }

  const listed = parseSkipFile(afterText ?? "").skip;
  for (const command of commands) {
    if (command.verb === "skips") outcomes.set(command, { kind: "listed", command, entries: listed, branch: conversation.viewName, fileExists: afterText !== null });
  }
  return commands.map((command) => outcomes.get(command) as Outcome);
}

/** Each writing command resolved by the skip command against the artifacts stage of the conversation's commit. */
async function planChanges(
  handling: Handling,
  conversation: Conversation,
  config: SkilldexConfig,
  writes: readonly Command[],
  requester: Requester,
  outcomes: Map<Command, Outcome>,
): Promise<{ command: Command; change: SkipChange }[]> {
  const { context, log, repo, span } = handling;
  const { artifacts, truncated } = await withChildSpan(span, "skilldex.resolve", {}, async (resolve) => {
    const listed = await listArtifacts(log, repo, conversation.viewRef, context.payload.repository.name);
    resolve.setAttribute("skilldex.artifacts", listed.artifacts.length);
    return listed;
  });
  const planned: { command: Command; change: SkipChange }[] = [];
  for (const command of writes) {
    if (command.verb === "allow") {
      const allowed = await planAllow(command, { repo, viewRef: conversation.viewRef, artifacts, truncated, config }, requester);
      if ("change" in allowed) planned.push({ command, change: allowed.change });
      else outcomes.set(command, allowed.outcome);
      continue;
    }
    const verb = command.verb === "skip" ? "skip" : "unskip";
    const resolution = resolveSkipCommand(verb, command.target, artifacts, config);
    if (resolution.kind === "keys") {
      planned.push({ command, change: { verb, keys: resolution.keys, reason: command.reason, by: requester.login, at: requester.at, ref: requester.ref } });
    } else if (resolution.kind === "missing") {
      outcomes.set(command, { kind: "usage", command, message: `${verb === "skip" ? "`/skip <key-or-path> [reason]`" : "`/unskip <key-or-path>`"} needs an artifact key or path, such as \`skill:legacy-pdf\`.` });
    } else if (resolution.kind === "unwritable") {
      outcomes.set(command, { kind: "usage", command, message: `${unwritableMessage(resolution.paths, code)}.` });
    } else {
      const ambiguous = resolution.kind === "ambiguous";
      outcomes.set(command, { kind: "unknown", command, suggestions: ambiguous ? resolution.candidates : resolution.suggestions, truncated, ambiguous });
    }
  }
  return planned;
}

/**
 * The planned changes in one write, where the conversation's changes go. Says what the file reads
 * after it, for `/skips`, or the one outcome every command gets when the file refused them all.
 */
async function writeOnce(
  handling: Handling,
  conversation: Conversation,
  planned: readonly { command: Command; change: SkipChange }[],
  requester: Requester,
  viewed: FileAtRef | null,
  outcomes: Map<Command, Outcome>,
): Promise<{ afterText: string | null } | { blocked: Outcome[] }> {
  const { context, commands, repo, settings, span } = handling;
  const { issue, comment } = context.payload;
  const changes = planned.map((p) => p.change);
  try {
    const { outcome, delivery } = await withChildSpan(span, "skilldex.write", { "skilldex.keys": changes.reduce((n, c) => n + c.keys.length, 0) }, async (write) => {
      const request: WriteRequest = {
        direct: conversation.direct,
        base: conversation.base,
        why: conversation.why,
        fallbackBranch: `skilldex/skip-${issue.number}-${comment.id}`,
        changes,
        requestedBy: `@${requester.login} in ${requester.ref}`,
        pullRequest: (part) => renderPullRequest(part, requester, comment.html_url),
      };
      const written = await writeChanges(repo, request, settings, settings.writes);
      write.setAttribute("skilldex.written_to", written.delivery.kind);
      return written;
    });
    planned.forEach(({ command }, i) => {
      const result = outcome.results[i] ?? { changed: [], unchanged: [] };
      outcomes.set(command, result.changed.length === 0 ? { kind: "already", command, keys: result.unchanged, delivery } : { kind: "done", command, changed: result.changed, unchanged: result.unchanged, delivery });
    });
    return { afterText: delivery.kind === "commit" && delivery.branch === conversation.viewName ? outcome.text : (viewed?.text ?? null) };
  } catch (error) {
    if (error instanceof SkipFileError) return { blocked: commands.map((command) => ({ kind: "malformed", command, problem: error.message })) };
    if (error instanceof SkipPreferencesDisabled) return { blocked: commands.map((command) => ({ kind: "disabled", command, source: "file" })) };
    // An edit the file cannot hold is refused before anything is written: say so, it is no bug.
    if (error instanceof SkipEditError) {
      for (const { command } of planned) outcomes.set(command, { kind: "failed", command, message: settings.redactor.redact(error.message) });
    } else if (error instanceof GitHubError) {
      for (const { command } of planned) outcomes.set(command, failed(command, error, settings.redactor));
    } else throw error;
    return { afterText: viewed?.text ?? null };
  }
}

async function findConversation({ context, repo }: Handling): Promise<Conversation> {
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

function failed(command: Command, error: GitHubError, redactor: Redactor): Outcome {
  return { kind: "failed", command, message: redactor.redact(error.message) };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
