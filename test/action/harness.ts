import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { run, type RunDeps, type RunResult } from "../../action/run.js";
import type { FakeGitHub } from "../helpers/fake-github.js";
import { git, writeTree, type Tree } from "../helpers/repo.js";

/** Real payloads, as GitHub sends them, from @octokit/webhooks-examples. */
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];

export const TOKEN = "ghs_testtokenthatmustneverbelogged0123456789";

/** Writes the files into a repository made with makeGitRepo, commits everything, and returns the new commit's sha. */
export function commit(dir: string, files: Tree, message: string): string {
  writeTree(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", message);
  return headSha(dir);
}

export function headSha(dir: string): string {
  return git(dir, "rev-parse", "HEAD").trim();
}

/** An agent without frontmatter: an error under every profile. */
export const BROKEN_AGENT = "# An agent with no frontmatter\n";

export interface ActionFiles {
  env: Record<string, string>;
  /** The runner's RUNNER_TEMP, removed with the rest. */
  temp: string;
  outputs(): Record<string, string>;
  summary(): string;
  remove(): void;
}

/** The environment the runner gives a step: event, inputs as INPUT_*, and the files it reads back. */
export function actionEnv(options: {
  workspace: string;
  apiUrl: string;
  eventName: string;
  payload: Record<string, unknown>;
  sha: string;
  inputs?: Record<string, string>;
}): ActionFiles {
  const dir = mkdtempSync(join(tmpdir(), "skilldex-runner-"));
  const files = { event: join(dir, "event.json"), output: join(dir, "output"), summary: join(dir, "summary.md"), temp: join(dir, "temp") };
  mkdirSync(files.temp);
  writeFileSync(files.event, JSON.stringify(options.payload));
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  const inputs: Record<string, string> = {
    path: ".",
    profile: "claude-code",
    config: ".github/skilldex.yml",
    "fail-on": "failed",
    "github-token": TOKEN,
    "check-name": "skilldex",
    "skip-preferences": "true",
    "report-path": "",
    "max-annotations": "1000",
    ...options.inputs,
  };
  const env: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: options.sha,
    GITHUB_RUN_ID: "9876",
    GITHUB_RUN_ATTEMPT: "2",
    GITHUB_API_URL: options.apiUrl,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
  };
  // The runner keeps hyphens in input names and upper-cases them: INPUT_FAIL-ON.
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return {
    env,
    temp: files.temp,
    outputs: () => parseOutputs(readFileSync(files.output, "utf8")),
    summary: () => readFileSync(files.summary, "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What an in-process run left behind: its result, its log and what the runner reads back. */
export interface InProcessRun {
  files: ActionFiles;
  result: RunResult;
  log: string;
  commands: WorkflowCommand[];
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the Action in-process as the runner would, against the fake GitHub; the caller removes `files`. */
export async function runInProcess(
  github: FakeGitHub,
  eventName: string,
  payload: Record<string, unknown>,
  options: { workspace: string; sha: string; inputs?: Record<string, string> | undefined; deps?: RunDeps | undefined; env?: Record<string, string> | undefined },
): Promise<InProcessRun> {
  const files = actionEnv({ workspace: options.workspace, apiUrl: github.url, eventName, payload, sha: options.sha, inputs: options.inputs });
  Object.assign(files.env, options.env);
  let log = "";
  const result = await run({ env: files.env, write: (text) => void (log += text), fetch: globalThis.fetch, github: { retryAfterBaseValue: 1, paceWrites: false }, ...options.deps });
  return { files, result, log, commands: workflowCommands(log), outputs: files.outputs(), summary: files.summary() };
}

/** Reads `name<<delimiter` blocks back, as the runner does. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    out[name] = value.join("\n");
  }
  return out;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** The `::command key=value::message` lines in a step's log, unescaped. */
export function workflowCommands(log: string): WorkflowCommand[] {
  const unescape = (s: string): string => s.replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  return log
    .split("\n")
    .map((line) => /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, command = "", props = "", message = ""]) => ({
      command,
      properties: Object.fromEntries(props.split(",").filter(Boolean).map((p) => p.split("=", 2).map(unescape) as [string, string])),
      message: unescape(message),
    }));
}

export function example(event: string, predicate: (payload: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = examples.find((e) => e.name === event)?.examples.find(predicate);
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

/** The real push example, moved onto the test repository's commits. */
export function pushPayload(before: string | null, after: string): Record<string, unknown> {
  const zeros = "0".repeat(40);
  // The examples hold a new branch and deleted branches; a push to an existing branch differs only in `before`.
  const payload = example("push", (p) => p.after !== zeros);
  return { ...payload, before: before ?? zeros, after, head_commit: { ...(payload.head_commit as object), id: after } };
}

/** The real pull_request `synchronize` example, moved onto the test repository's commits; from a fork when asked. */
export function pullRequestPayload(base: string, head: string, fork = false): Record<string, unknown> {
  const payload = example("pull_request", (p) => p.action === "synchronize");
  const pr = payload.pull_request as Record<string, Record<string, unknown>>;
  pr.base = { ...pr.base, sha: base };
  pr.head = { ...pr.head, sha: head };
  if (fork) pr.head = { ...pr.head, label: "forker:main", repo: { ...(pr.head?.repo as object), fork: true, full_name: "forker/Hello-World" } };
  return payload;
}

/** The committed bundle, as action.yml runs it. */
export const BUNDLE = join(import.meta.dirname, "../../dist/index.js");

/** The Node 24 binary the runner would use; npx fetches it from the npm registry once. */
export async function node24Binary(): Promise<string> {
  const { stdout } = await promisify(execFile)("npx", ["-y", "-p", "node@24", "node", "-p", "process.execPath"], { timeout: 170_000 });
  return stdout.trim().split("\n").pop() ?? "";
}

/** Runs the bundle with only what the runner would give it: no inherited GITHUB_* of the machine running the tests. */
export function runBundle(node24: string, files: ActionFiles): Promise<{ code: number | null; log: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node24, [BUNDLE], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...files.env }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, log, ms: performance.now() - started }));
  });
}
