import type { Logger } from "probot";
import { SKIP_FILE_PATH, SkipFileError } from "../src/skips/index.js";
import { SourceOpenError } from "../src/source/open.js";
import type { Command } from "./commands.js";
import { commitFixes, type FixSettings } from "./fix.js";
import { describeFixes, renderFixPullRequest } from "./fix-answer.js";
import { GitHubError, type GitHubRepo, type Permission } from "./github.js";
import type { AppMetrics } from "./metrics.js";
import type { CommentContext } from "./observe.js";
import type { OutcomeKind } from "./outcome.js";
import type { InstallationOctokit } from "./scan.js";
import { code } from "./reply.js";
import type { Redactor } from "../src/telemetry/redact.js";

/** What `/skilldex fix` became: its line in the comment's answer, and how it ended, for the counters. */
export interface FixCommandResult {
  line: string;
  kind: OutcomeKind;
}

export interface FixCommandHandling {
  context: CommentContext;
  login: string;
  log: Logger;
  repo: GitHubRepo;
  settings: FixSettings & { metrics: AppMetrics; redactor: Redactor };
}

/** `/skilldex fix` on a conversation: a pull request? → permission → the head's safe fixes committed → the answer's line. */
export async function runFixCommand(handling: FixCommandHandling, command: Command, permission: Promise<{ found: Permission } | { error: unknown }>): Promise<FixCommandResult> {
  const { context, login, log, repo, settings } = handling;
  const { issue, comment } = context.payload;
  const started = performance.now();
  const result = await decideFix();
  settings.metrics.commandHandled(command.verb, result.kind);
  log.info({ command: command.verb, outcome: result.kind, durationMs: Math.round(performance.now() - started) }, "skilldex command handled");
  return { line: `- ${code(command.line)} — ${result.line}`, kind: result.kind };

  async function decideFix(): Promise<FixCommandResult> {
    if (!issue.pull_request) return { kind: "usage", line: "fixes are committed to a pull request's branch: comment this on a pull request." };
    const answer = await permission;
    if ("error" in answer) return failed(answer.error);
    if (!answer.found.canWrite) {
      return { kind: "not_allowed", line: `not allowed: committing fixes needs write access to this repository, and ${code(login)} has ${answer.found.role} access; nothing was committed. Someone with write access can run the command instead.` };
    }
    try {
      const pull = await repo.getPullRequest(issue.number);
      const requestedBy = `@${login} in #${issue.number}`;
      const outcome = await commitFixes(
        context.octokit as unknown as InstallationOctokit,
        repo,
        {
          direct: pull.sameRepository ? pull.headRef : null,
          headSha: pull.headSha,
          base: pull.baseRef,
          fallbackBranch: `skilldex/fix-${issue.number}-${comment.id}`,
          profile: null,
          requestedBy,
          pullRequest: (changes, why) => renderFixPullRequest(changes, why, { pullNumber: issue.number, headRef: pull.headRef, requestedBy, url: comment.html_url }),
        },
        settings,
        log,
      );
      log.info({ files: outcome.changes.map((c) => c.file), commit: outcome.delivery.kind === "commit" ? outcome.delivery.commit.sha : undefined, pullRequest: outcome.delivery.kind === "pull" ? outcome.delivery.pull.number : undefined }, "skilldex fixes delivered");
      const { sentence, files } = describeFixes(outcome);
      return { kind: outcome.delivery.kind === "none" || outcome.changes.length === 0 ? "already" : "done", line: [sentence, ...files.map((file) => `  - ${file}`)].join("\n") };
    } catch (error) {
      return failed(error);
    }
  }

  function failed(error: unknown): FixCommandResult {
    if (error instanceof SkipFileError) return { kind: "malformed", line: `${code(SKIP_FILE_PATH)} cannot be read (${settings.redactor.redact(error.message)}), so nothing was committed; fix the file first.` };
    if (error instanceof GitHubError || error instanceof SourceOpenError) return { kind: "failed", line: `nothing was committed: ${settings.redactor.redact(error.message)}.` };
    throw error;
  }
}
