import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type { FakeGitHub, Override, StoredCheckRun } from "../helpers/fake-github.js";
import { APP_ID } from "./helpers.js";

/**
 * Real webhook payloads from @octokit/webhooks-examples (a push, a pull request, a check run's
 * button), adapted to the fake's repository and commits, and what the tests read of check runs.
 */

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples") as WebhookDefinition[];

type Json = Record<string, unknown> & { repository: Record<string, unknown> & { owner: Record<string, unknown> } };

function example(name: string, pick: (e: Record<string, unknown>) => boolean): Json {
  const definition = definitions.find((d) => d.name === name);
  const found = (definition?.examples as Record<string, unknown>[] | undefined)?.find((e) => pick(e) && "installation" in e && e.installation);
  if (!found) throw new Error(`no ${name} example with an installation`);
  return structuredClone(found) as Json;
}

function onRepository(payload: Json, fake: FakeGitHub): Json {
  Object.assign(payload.repository, { name: fake.repo, full_name: fake.fullName, default_branch: fake.defaultBranch });
  Object.assign(payload.repository.owner, { login: fake.owner });
  return payload;
}

/** `push` of `after` to `branch`, from `before`. */
export function pushPayload(fake: FakeGitHub, options: { branch: string; before: string; after: string; installation?: number }): Json {
  const payload = onRepository(example("push", () => true), fake);
  Object.assign(payload, { ref: `refs/heads/${options.branch}`, before: options.before, after: options.after, created: false, deleted: false, base_ref: null });
  (payload.installation as { id: number }).id = options.installation ?? 1;
  return payload;
}

/** `pull_request.synchronize` (or another action) of the fake's pull request `number`. */
export function pullRequestPayload(fake: FakeGitHub, number: number, action: "opened" | "synchronize" | "reopened" = "synchronize"): Json {
  const payload = onRepository(example("pull_request", (e) => e.action === "synchronize"), fake);
  const pull = fake.pulls.get(number);
  if (!pull) throw new Error(`no pull request #${number}`);
  const fork = pull.head.repo?.full_name !== fake.fullName;
  const pr = payload.pull_request as Record<string, Record<string, unknown>>;
  payload.action = action;
  payload.number = number;
  pr.number = number as unknown as Record<string, unknown>;
  Object.assign(pr.head as object, { ref: pull.head.ref, sha: pull.head.sha, repo: { ...(pr.head?.repo as object), full_name: fork ? `contributor/${fake.repo}` : fake.fullName } });
  Object.assign(pr.base as object, { ref: pull.base.ref, sha: pull.base.sha, repo: { ...(pr.base?.repo as object), full_name: fake.fullName } });
  return payload;
}

/** `check_run.requested_action`: `login` pressed the button `identifier` on the stored check run. */
export function buttonPayload(fake: FakeGitHub, run: StoredCheckRun, identifier: string, login: string, options: { branch: string; pull?: number }): Json {
  const payload = onRepository(example("check_run", (e) => e.action === "requested_action"), fake);
  const pull = options.pull === undefined ? undefined : fake.pulls.get(options.pull);
  const checkRun = payload.check_run as Record<string, unknown>;
  Object.assign(checkRun, {
    id: run.id,
    head_sha: run.head_sha,
    name: run.name,
    status: run.status,
    conclusion: run.conclusion,
    output: { title: run.output.title, summary: run.output.summary, text: run.output.text ?? null, annotations_count: run.annotations.length, annotations_url: "" },
    app: { ...(checkRun.app as object), id: APP_ID },
    html_url: `https://github.com/${fake.fullName}/runs/${run.id}`,
    pull_requests: pull ? [{ url: "", id: pull.number, number: pull.number, head: { ref: pull.head.ref, sha: pull.head.sha, repo: { id: 1, url: "", name: fake.repo } }, base: { ref: pull.base.ref, sha: pull.base.sha, repo: { id: 1, url: "", name: fake.repo } } }] : [],
  });
  Object.assign(checkRun.check_suite as object, { head_branch: options.branch, head_sha: run.head_sha });
  payload.requested_action = { identifier };
  Object.assign(payload.sender as object, { login, type: "User" });
  return payload;
}

/**
 * The fake stores a check run's status and conclusion as created; an update that completes one
 * changes them on GitHub, so the tests keep them as GitHub would, and the time of each change.
 */
export function followCheckRunUpdates(fake: FakeGitHub, before?: Override): Map<number, { status: string; at: number }[]> {
  const history = new Map<number, { status: string; at: number }[]>();
  const note = (id: number, status: string) => {
    const list = history.get(id) ?? [];
    list.push({ status, at: performance.now() });
    history.set(id, list);
  };
  fake.override((request) => {
    // A test's own answer (a failure it injects) comes first; GitHub then applies nothing.
    const forced = before?.(request);
    if (forced) return forced;
    const update = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(request.path);
    if (request.method !== "PATCH" || !update) return undefined;
    const run = fake.checkRuns.find((r) => r.id === Number(update[1]));
    const body = request.body as { status?: string; conclusion?: string; actions?: unknown } | undefined;
    if (run && body?.status) {
      run.status = body.status;
      note(run.id, body.status);
    }
    if (run && body?.conclusion) run.conclusion = body.conclusion;
    if (run && body?.actions) (run as StoredCheckRun & { actions?: unknown }).actions = body.actions;
    return undefined;
  });
  return history;
}

export function runsOn(fake: FakeGitHub, sha: string): (StoredCheckRun & { actions?: { label: string; identifier: string }[] })[] {
  return fake.checkRuns.filter((run) => run.head_sha === sha);
}

/**
 * `check_run.created` of a check run GitHub Actions created (`run`, stored by the fake), as an app
 * installed on the repository receives it: the recorded example, with the app of the recorded
 * Actions check run and the installation every app delivery carries.
 */
export function actionCheckRunCreatedPayload(fake: FakeGitHub, run: StoredCheckRun, installation = 1): Json {
  const examples = (definitions.find((d) => d.name === "check_run")?.examples ?? []) as Record<string, unknown>[];
  const created = examples.find((e) => e.action === "created");
  const byActions = examples.find((e) => (e.check_run as { app?: { slug?: string } }).app?.slug === "github-actions");
  if (!created || !byActions) throw new Error("no check_run.created example, or none by GitHub Actions");
  const payload = onRepository(structuredClone(created) as Json, fake);
  Object.assign(payload.check_run as object, {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    app: structuredClone((byActions.check_run as { app: unknown }).app),
  });
  payload.installation = { id: installation, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}
