import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { readAppYml, registrationManifest, type SetupServer, startSetupServer } from "../../app/setup.js";
import { FakeGitHub, serveOverHttp } from "../helpers/fake-github.js";
import { type AppProcess, freePort, requireFreshBuild, sign, startAppProcess, waitUntil } from "./app-process.js";
import { newFake, PRIVATE_KEY, recordingLogger, REPO_FILES } from "./helpers.js";
import { followCheckRunUpdates, pushPayload, runsOn } from "./scan-payloads.js";

/**
 * Registering the App from app.yml the way a person does: open the setup page, press the button
 * (the browser posts the manifest to GitHub's New GitHub App page), come back to the redirect URL
 * with GitHub's code; then the App, started with the credentials the setup wrote, takes a webhook
 * at the URL the manifest registered.
 */

const ROOT = new URL("../../", import.meta.url).pathname;
const APP_YML = readAppYml(join(ROOT, "app.yml"));

let fake: FakeGitHub;
let github: { close: () => Promise<void>; host: string };
let setup: SetupServer | null = null;
let app: AppProcess | null = null;

beforeAll(async () => {
  fake = newFake(FakeGitHub, REPO_FILES);
  fake.appPem = PRIVATE_KEY;
  github = await serveOverHttp(fake);
  followCheckRunUpdates(fake);
});

afterEach(async () => {
  await setup?.stop();
  setup = null;
  await app?.stop();
  app = null;
  expect(fake.invalid).toEqual([]);
});

afterAll(async () => {
  await github?.close();
});

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** What the setup page's form posts: its action and its manifest field. */
async function openSetupPage(base: string): Promise<{ action: string; manifest: Record<string, unknown>; form: string }> {
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  expect(page.url).toBe(`${base}/probot`);
  const html = await page.text();
  const action = unescapeHtml(/<form action="([^"]+)" method="post">/.exec(html)?.[1] ?? "");
  const field = unescapeHtml(/name="manifest" value="([^"]*)"/.exec(html)?.[1] ?? "");
  return { action, manifest: JSON.parse(field) as Record<string, unknown>, form: new URLSearchParams({ manifest: field }).toString() };
}

/** The permission GitHub requires of an app for each event it subscribes to. */
const PERMISSION_OF_EVENT: Record<string, string> = { issue_comment: "issues", push: "contents", pull_request: "pull_requests", check_suite: "checks", check_run: "checks" };

/** `node lib/app/setup.js` (or `main.js`, what `npm run app` runs) in `cwd`, as a person starts it before the App has credentials; resolves once /health answers. */
async function startSetupProcess(cwd: string, env: Record<string, string>, entry: "setup" | "main" = "setup"): Promise<{ output: () => string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, `lib/app/${entry}.js`)], { cwd, env: { PATH: process.env.PATH ?? "", LOG_FORMAT: "json", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilAsync(async () => (await fetch(`http://127.0.0.1:${env.PORT}/health`).catch(() => null))?.status === 200, () => child.exitCode !== null, output);
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitUntilAsync(done: () => Promise<boolean>, failed: () => boolean, output: string): Promise<void> {
  for (let waited = 0; !(await done()); waited += 50) {
    if (failed() || waited > 20_000) throw new Error(`the setup page did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("the setup page registers the App with its webhook at /api/github/webhooks and app.yml's permissions; the App then takes a signed push there and posts its check run", async () => {
  requireFreshBuild();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "skilldex-setup-"));
  const envFile = join(dir, ".env");
  // Development, where probot's own setup would try to make a smee.io channel.
  const page = await startSetupProcess(dir, { NODE_ENV: "development", GHE_HOST: github.host, GHE_PROTOCOL: "http", PORT: String(port), HOST: "127.0.0.1" });
  setup = { port, stop: page.stop };
  const base = `http://127.0.0.1:${port}`;
  expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "setup", app: "skilldex" });

  const { action, manifest, form } = await openSetupPage(base);
  expect(action).toBe(`http://${github.host}/settings/apps/new`);
  expect(manifest.hook_attributes).toEqual({ active: true, url: `${base}/api/github/webhooks` });
  expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
  // The browser posts the form to GitHub, which sends it back to the redirect URL with a code.
  const posted = await fetch(action, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  expect(posted.status).toBe(302);
  const back = posted.headers.get("location") as string;
  expect(back).toMatch(new RegExp(`^${base}/probot/setup\\?code=`));
  const done = await fetch(back, { redirect: "manual" });
  expect(done.status).toBe(302);
  expect(done.headers.get("location")).toBe("https://github.com/apps/skilldex/installations/new");

  // What GitHub registered: the webhook URL and the permissions of app.yml, checks: write among them.
  const registered = fake.requests.filter((r) => r.method === "POST" && r.path.startsWith("/app-manifests/"));
  expect(registered).toHaveLength(1);
  expect(manifest.default_permissions).toEqual({ contents: "write", issues: "write", pull_requests: "write", metadata: "read", checks: "write" });
  expect(manifest.default_events).toEqual(["issue_comment", "push", "pull_request", "check_suite", "check_run"]);
  for (const event of manifest.default_events as string[]) expect((manifest.default_permissions as Record<string, string>)[PERMISSION_OF_EVENT[event] as string]).toBeDefined();
  expect(manifest.public).toBe(false);

  // The credentials, where probot reads them, readable by their owner only.
  const written = parseEnv(readFileSync(envFile, "utf8"));
  expect(written.APP_ID).toBe("500");
  expect(written.PRIVATE_KEY).toBe(PRIVATE_KEY);
  expect(written.WEBHOOK_SECRET).toBe("secret-of-app-500");
  expect(statSync(envFile).mode & 0o777).toBe(0o600);
  // The log line is written as the redirect is answered, by the logger's own stream: wait for it.
  await waitUntil(() => page.output().includes("restart the App"), 5000, "the setup page says to restart the App");
  expect(page.output()).not.toMatch(/smee/i);
  await setup.stop();
  setup = null;

  // Restarted with those credentials on the same address, the App takes a webhook at the registered URL.
  app = await startAppProcess(github.host, { PORT: String(port), APP_ID: written.APP_ID as string, PRIVATE_KEY: written.PRIVATE_KEY as string, WEBHOOK_SECRET: written.WEBHOOK_SECRET as string, SCAN_SOURCE: "api" });
  const before = fake.branches.get(fake.defaultBranch) as string;
  const commit = fake.commit(fake.defaultBranch, { "agents/new.md": "---\nname: new\ndescription: A new agent.\n---\n" });
  const body = JSON.stringify(pushPayload(fake, { branch: fake.defaultBranch, before, after: commit.sha }));
  const answer = await fetch((manifest.hook_attributes as { url: string }).url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "registered-push-1", "x-hub-signature-256": sign(body, written.WEBHOOK_SECRET) },
  });
  expect(answer.status).toBe(202);
  await waitUntil(() => runsOn(fake, commit.sha)[0]?.status === "completed", 20_000, "the push's check run completes");
  expect(runsOn(fake, commit.sha)).toHaveLength(1);
}, 60_000);

test("a code GitHub no longer knows is answered with what to do, and writes nothing", async () => {
  const port = await freePort();
  const envFile = join(mkdtempSync(join(tmpdir(), "skilldex-setup-")), ".env");
  const { logger } = recordingLogger();
  setup = await startSetupServer({ env: { GHE_HOST: github.host, GHE_PROTOCOL: "http", PORT: String(port), HOST: "127.0.0.1" }, log: logger, envFile, appYml: APP_YML });
  const answer = await fetch(`http://127.0.0.1:${port}/probot/setup?code=used-already`, { redirect: "manual" });
  expect(answer.status).toBe(502);
  expect(await answer.text()).toBe("GitHub does not know this code: it is valid once, for an hour. Start again from /probot.");
  expect(() => statSync(envFile)).toThrow();
});

test("behind a proxy the manifest names the public address; with WEBHOOK_PROXY_URL, the proxy; WEBHOOK_PATH moves the route", () => {
  expect((registrationManifest(APP_YML, "https://skilldex.example.com", {}).hook_attributes as { url: string }).url).toBe("https://skilldex.example.com/api/github/webhooks");
  expect((registrationManifest(APP_YML, "https://skilldex.example.com/", { WEBHOOK_PATH: "/hooks" }).hook_attributes as { url: string }).url).toBe("https://skilldex.example.com/hooks");
  expect((registrationManifest(APP_YML, "http://localhost:3000", { WEBHOOK_PROXY_URL: "https://smee.io/abc" }).hook_attributes as { url: string }).url).toBe("https://smee.io/abc");
});

test("`npm run app` without credentials serves the same setup page, not probot's: the webhook at /api/github/webhooks, no smee.io channel", async () => {
  requireFreshBuild();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "skilldex-setup-"));
  const page = await startSetupProcess(dir, { NODE_ENV: "development", GHE_HOST: github.host, GHE_PROTOCOL: "http", PORT: String(port), HOST: "127.0.0.1" }, "main");
  setup = { port, stop: page.stop };
  const base = `http://127.0.0.1:${port}`;
  expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "setup", app: "skilldex" });
  const { manifest } = await openSetupPage(base);
  expect(manifest.hook_attributes).toEqual({ active: true, url: `${base}/api/github/webhooks` });
  expect(page.output()).not.toMatch(/smee/i);
});
