import type { Context, Logger } from "probot";
import { addAnnotations } from "../src/github/checks.js";
import { CHECK_RUN_TEXT_LIMIT } from "../src/report/check-run.js";
import { truncate } from "../src/report/fit.js";
import { SkipPreferencesDisabled } from "../src/skips/command.js";
import { SKIP_FILE_PATH, SkipEditError, SkipFileError, skipTimestamp } from "../src/skips/index.js";
import { KEY_SYNTAX } from "../src/skips/resolve.js";
import { SourceOpenError } from "../src/source/open.js";
import { FIX_SAFE, parseButton, RERUN_WITH, shortSha } from "./check-runs.js";
import { commitFixes } from "./fix.js";
import { describeFixes, renderFixPullRequest } from "./fix-answer.js";
import { GitHubError, GitHubRepo } from "./github.js";
import type { AppSettings } from "./handler.js";
import type { Requester } from "./outcome.js";
import { renderPullRequest } from "./reply.js";
import { installationRepository, type InstallationOctokit, scanCommit } from "./scan.js";
import { queueScan } from "./scan-events.js";
import { writeChanges, type WriteRequest } from "./write.js";

/**
 * The buttons of the App's check runs (`check_run.requested_action`): "Skip failed" commits skip
 * entries for the artifacts that failed in that run, by the same permission check and the same
 * write path as `/skip`; "Fix safe" commits the safe fixes, as `/skilldex fix` does; "Re-run:
 * <profile>" scans the commit again with the other profile.
 */

export const SKIP_REASON = "skipped from the check run";

type ButtonContext = Context<"check_run.requested_action">;

/** One click: parse → which button → permission → scan the run's commit → write once → answer on the check run. */
export async function handleButton(context: ButtonContext, settings: AppSettings): Promise<"button" | "ignored"> {
  const { check_run: run, requested_action: action, repository, installation, sender } = context.payload;
  const button = parseButton(action?.identifier ?? "");
  if (button === null || installation === undefined || run.app?.id !== settings.appId) return "ignored";
  const login = sender.login;
  const log = context.log.child({ traceId: context.id, repository: repository.full_name, checkRunId: run.id, user: login, button: action?.identifier });
  const octokit = context.octokit as unknown as InstallationOctokit;
  const pull = run.pull_requests[0];
  if (button.verb === RERUN_WITH) {
    const request = { trigger: "requested_action" as const, headSha: run.head_sha, branch: run.check_suite?.head_branch ?? null, base: pull ? pull.base.sha : null, pullRequest: pull?.number ?? null, automatic: false };
    await queueScan(octokit, { deliveryId: context.id, installationId: installation.id, owner: repository.owner.login, repo: repository.name, request, profile: button.profile, log }, settings);
    return "button";
  }
  if (button.verb === FIX_SAFE) {
    const answerFix = answerOnCheckRun(octokit, context.payload, log, "Fix safe");
    await answerFix(
      await fixSafe(context, settings, button.profile, log).catch((error: unknown) => {
        if (error instanceof SkipFileError) return `\`${SKIP_FILE_PATH}\` cannot be read (${error.message}), so nothing was committed; fix the file first.`;
        if (error instanceof GitHubError || error instanceof SourceOpenError) return `nothing was committed: ${settings.redactor.redact(error.message)}.`;
        throw error;
      }),
    );
    return "button";
  }
  const answer = answerOnCheckRun(octokit, context.payload, log, "Skip failed");
  const said = await skipFailed(context, settings, button.profile, log).catch((error: unknown) => {
    if (error instanceof SkipPreferencesDisabled) return `skip preferences are disabled in this repository (\`skip-preferences: false\` in \`${SKIP_FILE_PATH}\`), so nothing was committed.`;
    if (error instanceof SkipFileError) return `\`${SKIP_FILE_PATH}\` cannot be read (${error.message}), so nothing was committed; fix the file first.`;
    if (error instanceof SkipEditError || error instanceof GitHubError) return `nothing was committed: ${settings.redactor.redact(error.message)}.`;
    throw error;
  });
  await answer(said);
  return "button";
}

/** What "Skip failed" did, in the words of the note on the check run. */
async function skipFailed(context: ButtonContext, settings: AppSettings, profile: "claude-code" | "agentskills", log: Logger): Promise<string> {
  const { check_run: run, repository, sender } = context.payload;
  const login = sender.login;
  if (!settings.enabled) return "skip preferences are turned off for this App (ENABLE_SKIP_PREFERENCES), so nothing was committed.";
  const repo = new GitHubRepo(context.octokit, repository.owner.login, repository.name);
  const permission = await repo.getPermission(login);
  if (!permission.canWrite) {
    log.info({ outcome: "not_allowed", role: permission.role }, "skilldex button handled");
    return `@${login} has ${permission.role} access; skipping needs write access (as \`/skip\` does), so nothing was committed.`;
  }
  const octokit = context.octokit as unknown as InstallationOctokit;
  const { report, config } = await scanCommit(octokit, { owner: repository.owner.login, repo: repository.name, headSha: run.head_sha, base: null, profile }, settings.scan, log);
  if (!config.skipPreferences) throw new SkipPreferencesDisabled();
  const failed = report.artifacts.filter((a) => a.status === "failed").map((a) => a.key);
  const keys = failed.filter((key) => KEY_SYNTAX.test(key));
  if (keys.length === 0) return failed.length === 0 ? `nothing fails at \`${shortSha(run.head_sha)}\` any more, so there is nothing to skip.` : "the failed artifacts have names a skip entry cannot hold, so nothing was committed.";

  const pull = run.pull_requests[0];
  const branch = run.check_suite?.head_branch ?? null;
  // A branch that is not in this repository is a fork's: the entries go through a pull request.
  const direct = branch !== null && (await branchExists(repo, branch)) ? branch : null;
  const requester: Requester = { login, ref: pull ? `#${pull.number}` : shortSha(run.head_sha), at: skipTimestamp(settings.now()) };
  const request: WriteRequest = {
    direct,
    base: pull?.base.ref ?? repository.default_branch,
    why: direct === null ? "fork" : "issue",
    fallbackBranch: `skilldex/skip-failed-${run.id}`,
    changes: [{ verb: "skip", keys, reason: SKIP_REASON, by: login, at: requester.at, ref: requester.ref }],
    requestedBy: `@${login} from the check run on ${shortSha(run.head_sha)}`,
    pullRequest: (part) => renderPullRequest(part, requester, run.html_url ?? ""),
  };
  const { outcome, delivery } = await writeChanges(repo, request, settings, settings.writes);
  const changed = outcome.results[0]?.changed ?? [];
  log.info({ outcome: delivery.kind, keys: changed, commit: delivery.kind === "commit" ? delivery.commit.sha : undefined, pullRequest: delivery.kind === "pull" ? delivery.pull.number : undefined }, "skilldex button handled");
  const listed = changed.map((key) => `\`${key}\``).join(", ");
  if (delivery.kind === "commit") return `@${login} skipped ${listed} in commit ${shortSha(delivery.commit.sha)} on \`${delivery.branch}\`; that push runs the check again.`;
  if (delivery.kind === "pull") {
    const why = delivery.why === "protected" ? `\`${branch}\` does not take direct commits` : "the commit is not on a branch of this repository";
    return `@${login} asked to skip ${listed}: ${why}, so the entries are in pull request #${delivery.pull.number} (${delivery.pull.url}).`;
  }
  return `every failed artifact is already skipped in \`${SKIP_FILE_PATH}\`; nothing was committed.`;
}

/** What "Fix safe" did: the safe fixes of the run's branch committed to it, as `/skilldex fix` does, by a writer. */
async function fixSafe(context: ButtonContext, settings: AppSettings, profile: "claude-code" | "agentskills", log: Logger): Promise<string> {
  const { check_run: run, repository, sender } = context.payload;
  const login = sender.login;
  const repo = new GitHubRepo(context.octokit, repository.owner.login, repository.name);
  const permission = await repo.getPermission(login);
  if (!permission.canWrite) {
    log.info({ outcome: "not_allowed", role: permission.role }, "skilldex button handled");
    return `@${login} has ${permission.role} access; fixing needs write access (as \`/skilldex fix\` does), so nothing was committed.`;
  }
  const pull = run.pull_requests[0];
  const branch = run.check_suite?.head_branch ?? null;
  const direct = branch !== null && (await branchExists(repo, branch)) ? branch : null;
  const requestedBy = `@${login} from the check run on ${shortSha(run.head_sha)}`;
  const octokit = context.octokit as unknown as InstallationOctokit;
  const outcome = await commitFixes(
    octokit,
    repo,
    {
      direct,
      headSha: run.head_sha,
      base: pull?.base.ref ?? repository.default_branch,
      fallbackBranch: `skilldex/fix-safe-${run.id}`,
      profile,
      requestedBy,
      pullRequest: (changes, why) => renderFixPullRequest(changes, why, { pullNumber: pull?.number ?? null, headRef: branch ?? shortSha(run.head_sha), requestedBy, url: run.html_url ?? "" }),
    },
    settings,
    log,
  );
  log.info({ outcome: outcome.delivery.kind, files: outcome.changes.map((c) => c.file), commit: outcome.delivery.kind === "commit" ? outcome.delivery.commit.sha : undefined, pullRequest: outcome.delivery.kind === "pull" ? outcome.delivery.pull.number : undefined }, "skilldex button handled");
  const { sentence, files } = describeFixes(outcome);
  const again = outcome.delivery.kind === "commit" ? "\n\nThat push runs the check again." : "";
  return [`@${login}: ${sentence}`, ...files.map((file) => `- ${file}`)].join("\n") + again;
}

async function branchExists(repo: GitHubRepo, branch: string): Promise<boolean> {
  try {
    await repo.getBranchHead(branch);
    return true;
  } catch (error) {
    if (error instanceof GitHubError && error.kind === "not_found") return false;
    throw error;
  }
}

/**
 * A button has no conversation to answer in: the answer is a note at the top of the check run's
 * summary, above what the scan said, so whoever clicked sees it where they clicked.
 */
function answerOnCheckRun(octokit: InstallationOctokit, payload: ButtonContext["payload"], log: Logger, button: string): (note: string) => Promise<void> {
  const { check_run: run, repository } = payload;
  return async (note) => {
    // Every line of the note in the quote, so a list of files stays in it.
    const quoted = `**${button}**: ${note}`.split("\n").map((line) => (line === "" ? ">" : `> ${line}`)).join("\n");
    const summary = truncate(`${quoted}\n\n${run.output?.summary ?? ""}`, CHECK_RUN_TEXT_LIMIT);
    try {
      await addAnnotations(installationRepository(octokit, repository.owner.login, repository.name), run.id, { title: run.output?.title ?? "skilldex", summary, text: run.output?.text ?? "" }, []);
    } catch (error) {
      log.warn({ problem: error instanceof Error ? error.message : String(error) }, "skilldex could not answer on the check run");
    }
  };
}
