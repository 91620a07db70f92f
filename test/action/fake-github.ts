import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validate, type Schema } from "../helpers/json-schema.js";

/**
 * A stand-in for api.github.com on 127.0.0.1 that answers the checks API as GitHub does: it
 * checks every request body against GitHub's published schema (test/fixtures/openapi) and
 * GitHub's rule on annotation columns, answers 422 to what GitHub would refuse, and keeps each
 * check run as GitHub would hold it, annotations appended across updates. Given `contents`, the
 * URL of test/source/fake-github.ts, it passes every other request there, so that one host
 * serves a repository's trees and blobs as well as its checks, as api.github.com does. Given
 * `files`, git folders by owner/name, it answers the contents API for a file at a commit.
 */

interface Operation {
  method: string;
  path: string;
  requestBody: Schema;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/openapi/checks.json", import.meta.url), "utf8")) as {
  source: { version: string };
  operations: Record<"checks/create" | "checks/update", Operation>;
};

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** Why GitHub would refuse this body; empty when it is valid. */
  problems: string[];
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; text?: string };
  annotations: Record<string, unknown>[];
}

/** Answers a request instead of the fake, for failures; undefined lets the fake answer. */
export type Override = (request: RecordedRequest) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  checkRuns: StoredCheckRun[];
  /** Requests whose bodies GitHub would have refused. */
  invalid(): RecordedRequest[];
  override(handler: Override | null): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { contents?: string; files?: Record<string, string> } = {}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const checkRuns: StoredCheckRun[] = [];
  let override: Override | null = null;

  const server = createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      let body: unknown = null;
      const problems: string[] = [];
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        problems.push("the body is not JSON");
      }
      const recorded: RecordedRequest = { method: req.method ?? "", path, authorization: req.headers.authorization, body, problems };
      requests.push(recorded);
      const forced = override?.(recorded);
      if (forced) return send(res, forced.status, forced.body, forced.headers);
      const file = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path);
      if (file && req.method === "GET" && options.files) return sendContents(options.files[`${file[1]}/${file[2]}`], decodeURIComponent(file[3] ?? ""), req, res);
      if (options.contents && !/\/check-runs(\/\d+)?$/.test(path)) return forward(options.contents, req, raw, res);
      handle(recorded, res);
    });
  });

  function handle(request: RecordedRequest, res: ServerResponse): void {
    const create = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(request.path);
    const update = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(request.path);
    if (!request.authorization) return send(res, 401, { message: "Requires authentication" });
    if (create && request.method === "POST") {
      request.problems.push(...check(fixture.operations["checks/create"], request.body));
      if (request.problems.length > 0) return send(res, 422, { message: "Invalid request.", errors: request.problems });
      const body = request.body as Record<string, unknown>;
      const { annotations = [], ...output } = (body.output ?? {}) as StoredCheckRun["output"] & { annotations?: Record<string, unknown>[] };
      const run: StoredCheckRun = {
        id: 4000 + checkRuns.length,
        name: body.name as string,
        head_sha: body.head_sha as string,
        status: (body.status as string | undefined) ?? "queued",
        conclusion: (body.conclusion as string | undefined) ?? null,
        output,
        annotations: [...annotations],
      };
      checkRuns.push(run);
      return send(res, 201, { id: run.id, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion, html_url: `https://github.com/${create[1]}/${create[2]}/runs/${run.id}` });
    }
    if (update && request.method === "PATCH") {
      const run = checkRuns.find((r) => r.id === Number(update[3]));
      if (!run) return send(res, 404, { message: "Not Found" });
      request.problems.push(...check(fixture.operations["checks/update"], request.body));
      if (request.problems.length > 0) return send(res, 422, { message: "Invalid request.", errors: request.problems });
      const body = request.body as Record<string, unknown>;
      const { annotations = [], ...output } = (body.output ?? {}) as StoredCheckRun["output"] & { annotations?: Record<string, unknown>[] };
      if (body.output) run.output = { ...run.output, ...output };
      run.annotations.push(...annotations);
      return send(res, 200, { id: run.id, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion });
    }
    request.problems.push(`skilldex called ${request.method} ${request.path}, which the fake does not know`);
    send(res, 404, { message: "Not Found" });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    checkRuns,
    invalid: () => requests.filter((r) => r.problems.length > 0),
    override(handler) {
      override = handler;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The schema, plus what GitHub checks beyond it: columns only on an annotation on one line. */
function check(operation: Operation, body: unknown): string[] {
  const problems = validate(operation.requestBody, body);
  const annotations = ((body as { output?: { annotations?: Record<string, unknown>[] } } | null)?.output?.annotations ?? []);
  annotations.forEach((a, i) => {
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      problems.push(`body.output.annotations[${i}]: start_column and end_column need start_line equal to end_line`);
    }
  });
  return problems;
}

async function forward(to: string, req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of ["accept", "authorization", "content-type"]) if (typeof req.headers[name] === "string") headers[name] = req.headers[name];
  const answer = await fetch(`${to}${req.url ?? "/"}`, { method: req.method, headers, ...(body ? { body } : {}) });
  res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
  res.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * GET /repos/{owner}/{repo}/contents/{path}?ref=: a file's bytes with the raw media type, base64
 * in JSON without it, a listing for a folder, 404 for a path the commit lacks.
 */
function sendContents(dir: string | undefined, path: string, req: IncomingMessage, res: ServerResponse): void {
  const ref = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("ref") ?? "HEAD";
  if (!dir) return send(res, 404, { message: "Not Found" });
  let type: string;
  try {
    type = execFileSync("git", ["cat-file", "-t", `${ref}:${path}`], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return send(res, 404, { message: "Not Found" });
  }
  if (type === "tree") {
    const names = execFileSync("git", ["ls-tree", "--name-only", `${ref}:${path}`], { cwd: dir }).toString().split("\n").filter(Boolean);
    return send(res, 200, names.map((name) => ({ type: "file", name, path: `${path}/${name}` })));
  }
  const bytes = execFileSync("git", ["cat-file", "blob", `${ref}:${path}`], { cwd: dir });
  if (/application\/vnd\.github(\.v3)?\.raw/.test(req.headers.accept ?? "")) {
    res.writeHead(200, { "content-type": "application/vnd.github.raw; charset=utf-8" });
    return void res.end(bytes);
  }
  send(res, 200, { type: "file", encoding: "base64", size: bytes.length, name: path.split("/").at(-1), path, content: bytes.toString("base64") });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}
