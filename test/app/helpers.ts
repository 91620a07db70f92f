import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { type Logger, Probot, ProbotOctokit } from "probot";
import { type AppSettings, createApp } from "../../app/app.js";
import type { FakeGitHub } from "../helpers/fake-github.js";

export type CommentPayload = EmitterWebhookEvent<"issue_comment.created">["payload"];

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples") as WebhookDefinition[];

/** The recorded `issue_comment.created` example that carries an installation, as an app receives it. */
function baseExample(): CommentPayload {
  const definition = definitions.find((d) => d.name === "issue_comment") as WebhookDefinition<"issue_comment">;
  const example = definition.examples.find((e) => e.action === "created" && "installation" in e && e.installation);
  if (!example) throw new Error("no issue_comment.created example with an installation");
  return structuredClone(example) as unknown as CommentPayload;
}

export interface CommentOptions {
  body: string;
  number?: number;
  pullRequest?: boolean;
  login?: string;
  userType?: "User" | "Bot";
  commentId?: number;
}

let nextCommentId = 700_000;

/** The real example payload, adapted with the comment a test needs. */
export function commentPayload(options: CommentOptions): CommentPayload {
  const payload = baseExample();
  const number = options.number ?? 42;
  const login = options.login ?? "octocat";
  const type = options.userType ?? "User";
  const id = options.commentId ?? nextCommentId++;
  const { owner, name } = { owner: payload.repository.owner.login, name: payload.repository.name };
  payload.issue.number = number;
  payload.issue.html_url = `https://github.com/${owner}/${name}/${options.pullRequest === false ? "issues" : "pull"}/${number}`;
  if (options.pullRequest === false) delete (payload.issue as { pull_request?: unknown }).pull_request;
  else {
    (payload.issue as { pull_request?: unknown }).pull_request = {
      url: `https://api.github.com/repos/${owner}/${name}/pulls/${number}`,
      html_url: `https://github.com/${owner}/${name}/pull/${number}`,
      diff_url: `https://github.com/${owner}/${name}/pull/${number}.diff`,
      patch_url: `https://github.com/${owner}/${name}/pull/${number}.patch`,
      merged_at: null,
    };
  }
  payload.comment.id = id;
  payload.comment.body = options.body;
  payload.comment.html_url = `${payload.issue.html_url}#issuecomment-${id}`;
  if (payload.comment.user) Object.assign(payload.comment.user, { login, type });
  Object.assign(payload.sender, { login, type });
  return payload;
}

/** The repository the example payloads come from. */
export const EXAMPLE_REPO = (() => {
  const payload = baseExample();
  return { owner: payload.repository.owner.login, repo: payload.repository.name, defaultBranch: payload.repository.default_branch };
})();

export interface LogRecord {
  level: string;
  msg?: string;
  [field: string]: unknown;
}

/** A pino-shaped logger that keeps every record, so tests can read the log lines. */
export function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const make = (bindings: Record<string, unknown>): unknown => {
    const write =
      (level: string) =>
      (first?: unknown, ...rest: unknown[]): void => {
        const fields = first instanceof Error ? { err: { ...first, message: first.message, stack: first.stack } } : typeof first === "object" && first !== null ? first : {};
        const msg = typeof first === "string" ? first : typeof rest[0] === "string" ? rest[0] : undefined;
        records.push({ ...bindings, ...(fields as object), level, msg });
      };
    return {
      level: "trace",
      // pino-http, behind probot's server, reads the level table.
      levels: { values: { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }, labels: { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" } },
      trace: write("trace"),
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
      fatal: write("fatal"),
      silent: () => undefined,
      isLevelEnabled: () => true,
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
    };
  };
  return { logger: make({}) as Logger, records };
}

/** Everything a log record holds, circular references and errors included, as text. */
export function logText(records: readonly LogRecord[]): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(records, (_key, value: unknown) => {
    if (value instanceof Error) return { ...value, message: value.message, stack: value.stack };
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
    }
    return value;
  });
}

export const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

/**
 * Octokit without retries or throttling. A function, not an object: probot merges its own
 * throttle options over object defaults, which would space every write a second apart.
 */
export const TestOctokit: typeof ProbotOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

export interface TestApp {
  probot: Probot;
  records: LogRecord[];
  /** Delivers a comment as GitHub would, under a delivery id (the trace id). */
  comment: (options: CommentOptions, deliveryId?: string) => Promise<CommentPayload>;
  deliver: (payload: CommentPayload, deliveryId?: string) => Promise<void>;
}

let nextDelivery = 1;

/** The GitHub App's id in every test; the fake marks the app's own comments with it. */
export const APP_ID = 123;

/** Probot with the app loaded, its GitHub calls answered by the fake through nock. */
export async function loadApp(settings: Partial<AppSettings> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const { logger, records } = recordingLogger();
  const probot = new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    log: logger,
    Octokit: TestOctokit,
  });
  const noWait: Partial<AppSettings> = { sleep: () => new Promise((resolve) => setImmediate(resolve)), now: () => new Date("2026-11-20T10:00:00.000Z") };
  await probot.load(createApp({ ...noWait, ...settings }, { APP_ID: String(APP_ID), ...env }));
  const deliver = async (payload: CommentPayload, deliveryId = `delivery-${nextDelivery++}`): Promise<void> => {
    await probot.receive({ id: deliveryId, name: "issue_comment", payload } as EmitterWebhookEvent<"issue_comment">);
  };
  return {
    probot,
    records,
    deliver,
    comment: async (options, deliveryId) => {
      const payload = commentPayload(options);
      await deliver(payload, deliveryId);
      return payload;
    },
  };
}

/** A repository with three skills, a plugin with a command, and a legacy folder of two skills. */
export const REPO_FILES: Record<string, string> = {
  "README.md": "# skills\n",
  "skills/legacy-pdf/SKILL.md": "---\nname: legacy-pdf\ndescription: Reads PDFs.\n---\n",
  "skills/pdf/SKILL.md": "---\nname: pdf\ndescription: Reads PDFs well.\n---\n",
  "skills/docx/SKILL.md": "---\nname: docx\ndescription: Writes Word files.\n---\n",
  "legacy/old-a/SKILL.md": "---\nname: old-a\ndescription: Old.\n---\n",
  "legacy/old-b/SKILL.md": "---\nname: old-b\ndescription: Old too.\n---\n",
  "plugins/tools/.claude-plugin/plugin.json": "{\"name\": \"tools\"}\n",
  "plugins/tools/commands/deploy.md": "---\ndescription: Deploys.\n---\n",
  "node_modules/dep/skills/vendored/SKILL.md": "---\nname: vendored\n---\n",
};

export function newFake(FakeClass: typeof FakeGitHub, files: Record<string, string> = REPO_FILES): FakeGitHub {
  const fake = new FakeClass(EXAMPLE_REPO.owner, EXAMPLE_REPO.repo, EXAMPLE_REPO.defaultBranch, files);
  fake.grant("octocat", "write");
  return fake;
}
