import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { Octokit } from "@octokit/core";
import type { Logger } from "probot";
import { parse as parseYaml } from "yaml";

/**
 * Registering the GitHub App from `app.yml` with GitHub's manifest flow, as probot's setup page
 * does, with two differences: the manifest's webhook URL is the route the App listens on
 * (`/api/github/webhooks`, or WEBHOOK_PATH), where probot's points at `/`, which the App does
 * not serve; and no smee.io channel is made behind the person's back (probot's setup tries to, and
 * warns "SmeeClient is not available" when smee-client is not installed). WEBHOOK_PROXY_URL, when
 * set, is the webhook URL instead, for development behind a proxy.
 */

export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
const SETUP_PATH = "/probot";
const REDIRECT_PATH = "/probot/setup";

/** The webhook route of the App: WEBHOOK_PATH, `/api/github/webhooks` by default. */
export function webhookPathOf(env: NodeJS.ProcessEnv): string {
  return env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;
}

/** Whether the App has no credentials yet, so the setup page is what `npm run app` should serve. */
export function needsRegistration(env: NodeJS.ProcessEnv): boolean {
  return !env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
}

/** `app.yml`, the App's manifest as kept in the repository. */
export function readAppYml(path = join(process.cwd(), "app.yml")): Record<string, unknown> {
  const parsed = parseYaml(readFileSync(path, "utf8")) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${path} is not a mapping of manifest fields`);
  return parsed as Record<string, unknown>;
}

/**
 * What the setup page posts to GitHub: app.yml, with the webhook URL and the redirect URL of the
 * address the page was opened at (`baseUrl`, `https://app.example.com`).
 */
export function registrationManifest(appYml: Record<string, unknown>, baseUrl: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    ...appYml,
    hook_attributes: { active: true, url: env.WEBHOOK_PROXY_URL || `${base}${webhookPathOf(env)}` },
    redirect_url: `${base}${REDIRECT_PATH}`,
    public: appYml.public === true,
  };
}

/** Where GitHub takes a manifest: its *New GitHub App* page, for the organisation GH_ORG when set. */
export function createAppUrl(env: NodeJS.ProcessEnv): string {
  const host = env.GHE_HOST || "github.com";
  return `${env.GHE_PROTOCOL || "https"}://${host}${env.GH_ORG ? `/organizations/${encodeURIComponent(env.GH_ORG)}` : ""}/settings/apps/new`;
}

/** The REST root the manifest's code is converted at, as probot reaches GitHub. */
function apiUrl(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Where the App's credentials are written; `.env` in the working folder, where probot reads them. */
  envFile?: string;
  appYml?: Record<string, unknown>;
}

/**
 * The setup routes: `/` and `/probot` show a page whose button posts the manifest to GitHub;
 * GitHub sends the browser back to `/probot/setup?code=…`, whose code is exchanged (once, within
 * an hour) for the App's id, private key and webhook secret, written to `.env`. Returns false for
 * any other path.
 */
export function setupHandler(options: SetupOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { env, log } = options;
  const envFile = options.envFile ?? join(process.cwd(), ".env");
  const appYml = options.appYml ?? readAppYml();
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://setup");
    if (req.method !== "GET") return false;
    if (url.pathname === "/") {
      res.writeHead(302, { location: SETUP_PATH, "content-type": "text/plain" }).end(`Found. Redirecting to ${SETUP_PATH}`);
      return true;
    }
    if (url.pathname === SETUP_PATH) {
      const manifest = registrationManifest(appYml, baseUrlOf(req), env);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(setupPage(appYml, manifest, createAppUrl(env)));
      return true;
    }
    if (url.pathname === REDIRECT_PATH) {
      const code = url.searchParams.get("code");
      if (!code) {
        res.writeHead(400, { "content-type": "text/plain" }).end("The code GitHub sends back is missing: start again from /probot.");
        return true;
      }
      try {
        const app = await convertManifestCode(code, env);
        writeCredentials(envFile, { APP_ID: String(app.id), PRIVATE_KEY: app.pem, WEBHOOK_SECRET: app.webhook_secret, GITHUB_CLIENT_ID: app.client_id, GITHUB_CLIENT_SECRET: app.client_secret });
        log.info({ appId: app.id, envFile }, `skilldex is registered as ${app.html_url}; its credentials are in ${envFile}: restart the App (npm run app), then install it`);
        res.writeHead(302, { location: `${app.html_url}/installations/new`, "content-type": "text/plain" }).end(`Found. Redirecting to ${app.html_url}/installations/new`);
      } catch (error) {
        const status = (error as { status?: number }).status;
        const problem = status === 404 ? "GitHub does not know this code: it is valid once, for an hour. Start again from /probot." : `GitHub did not register the App: ${error instanceof Error ? error.message : String(error)}`;
        log.warn({ problem }, "skilldex could not finish its registration");
        res.writeHead(502, { "content-type": "text/plain" }).end(problem);
      }
      return true;
    }
    return false;
  };
}

interface ConvertedApp {
  id: number;
  html_url: string;
  pem: string;
  webhook_secret: string;
  client_id: string;
  client_secret: string;
}

/** POST /app-manifests/{code}/conversions: no credentials, the code is the proof. */
async function convertManifestCode(code: string, env: NodeJS.ProcessEnv): Promise<ConvertedApp> {
  const { data } = await new Octokit({ baseUrl: apiUrl(env), userAgent: "skilldex-setup" }).request("POST /app-manifests/{code}/conversions", { code });
  return data as unknown as ConvertedApp;
}

/**
 * Adds the credentials to the `.env` file (keeping its other lines), readable by its owner only:
 * it holds the private key. Values are written as probot's own setup writes them.
 */
export function writeCredentials(envFile: string, values: Record<string, string>): void {
  const kept = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const merged = { ...kept, ...values } as Record<string, string>;
  const lines = Object.entries(merged).map(([key, value]) => `${key}=${/[\n#\s]/.test(value) ? `"${value.replace(/\n/g, "\\n")}"` : value}`);
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(envFile, 0o600);
}

/** The address the page was opened at, as the browser sees it (behind a proxy, its X-Forwarded headers). */
function baseUrlOf(req: IncomingMessage): string {
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const protocol = first(req.headers["x-forwarded-proto"]) ?? (encrypted ? "https" : "http");
  const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host ?? "localhost";
  return `${protocol}://${host}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function setupPage(appYml: Record<string, unknown>, manifest: Record<string, unknown>, action: string): string {
  const name = escapeHtml(String(appYml.name ?? "skilldex"));
  const hook = (manifest.hook_attributes as { url: string }).url;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Register ${name}</title></head>
<body>
<h1>Register ${name} as a GitHub App</h1>
<p>${escapeHtml(String(appYml.description ?? ""))}</p>
<p>GitHub will send webhooks to <code>${escapeHtml(hook)}</code>. It must reach this App from GitHub: if this address is not public, set <code>WEBHOOK_PROXY_URL</code> to a smee.io channel and open this page again (docs/app.md, <em>Register the App</em>).</p>
<form action="${escapeHtml(action)}" method="post">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}">
<button type="submit">Register GitHub App</button>
</form>
</body>
</html>
`;
}

export interface SetupServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * `npm run app` before the App has credentials: the setup page on PORT and HOST, and `/health`,
 * nothing else (no webhook can be checked without the secret registration gives).
 */
export async function startSetupServer(options: SetupOptions): Promise<SetupServer> {
  const { env, log } = options;
  const handle = setupHandler(options);
  const server = createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (handled) return;
        const path = new URL(req.url ?? "/", "http://setup").pathname;
        if (path === "/health") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "setup", app: "skilldex" }));
        else res.writeHead(404, { "content-type": "text/plain" }).end(`skilldex is not registered yet: open ${SETUP_PATH}`);
      },
      (error: unknown) => {
        log.error({ problem: error instanceof Error ? error.message : String(error) }, "skilldex setup page failed");
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  });
  const host = env.HOST || "localhost";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(env.PORT || 3000), host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log.info(`skilldex has no APP_ID and PRIVATE_KEY yet: open http://${host}:${port}${SETUP_PATH} to register it as a GitHub App from app.yml`);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The process entry, `node lib/app/setup.js`: the setup page alone, with `.env` read first as
 * probot reads it (GHE_HOST, GH_ORG, WEBHOOK_PROXY_URL, HOST and PORT may be there).
 */
async function runSetupProcess(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { createAppLog } = await import("./logging.js");
  const { Redactor } = await import("../src/telemetry/redact.js");
  const log = await createAppLog(process.env, new Redactor(process.env));
  // app.yml of this checkout (lib/app/setup.js is two folders below it), `.env` where it is run.
  const server = await startSetupServer({ env: process.env, log, appYml: readAppYml(fileURLToPath(new URL("../../app.yml", import.meta.url))) });
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runSetupProcess();
}
