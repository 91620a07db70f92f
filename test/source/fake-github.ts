import { execFileSync } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer } from "./servers.js";

export interface FakeGitHub {
  url: string;
  /** Every request, as `METHOD /path`. */
  requests: string[];
  /** Authorization headers received. */
  auth: (string | undefined)[];
  /** Answers the next n requests with this status before serving normally. */
  failNext(n: number, status: number, body?: string, headers?: Record<string, string>): void;
  truncate: boolean;
  stop(): Promise<void>;
}

/**
 * A loopback stand-in for the parts of the GitHub API the API source uses (repository, recursive
 * tree, blob, GraphQL blob batches), answering from bare repositories on disk.
 */
export async function startFakeGitHub(repos: Record<string, string>): Promise<FakeGitHub> {
  const requests: string[] = [];
  const auth: (string | undefined)[] = [];
  const failures: { status: number; body: string; headers: Record<string, string> }[] = [];
  const state = { truncate: false };
  const git = (bare: string, ...args: string[]): Buffer => execFileSync("git", args, { cwd: bare, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 });
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url}`);
      auth.push(req.headers.authorization);
      const failure = failures.shift();
      if (failure) {
        res.writeHead(failure.status, { "content-type": "application/json", ...failure.headers }).end(failure.body);
        return;
      }
      const json = (status: number, value: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/graphql") {
        const { query, variables } = JSON.parse(Buffer.concat(chunks).toString()) as { query: string; variables: { owner: string; name: string } };
        const bare = repos[`${variables.owner}/${variables.name}`];
        if (!bare) return json(200, { data: null, errors: [{ message: "Could not resolve to a Repository" }] });
        const repository: Record<string, unknown> = {};
        for (const match of query.matchAll(/(b\d+): object\(oid: "([0-9a-f]+)"\)/g)) {
          const bytes = git(bare, "cat-file", "blob", match[2] as string);
          repository[match[1] as string] = { text: bytes.toString("utf8"), isBinary: bytes.includes(0), isTruncated: false };
        }
        return json(200, { data: { repository } });
      }
      const m = /^\/repos\/([^/]+)\/([^/]+)(?:\/git\/(trees|blobs)\/(.+))?$/.exec(url.pathname);
      const bare = m ? repos[`${decodeURIComponent(m[1] as string)}/${decodeURIComponent(m[2] as string)}`] : undefined;
      if (!m || !bare) return json(404, { message: "Not Found" });
      if (!m[3]) return json(200, { default_branch: "main" });
      const id = decodeURIComponent(m[4] as string);
      try {
        if (m[3] === "trees") {
          const out = git(bare, "ls-tree", "-r", "-l", "-z", `${id}^{commit}`).toString("utf8");
          const tree = out.split("\0").filter(Boolean).map((record) => {
            const [meta, path] = record.split("\t") as [string, string];
            const [mode, type, sha, size] = meta.split(/ +/) as [string, string, string, string];
            return { path, mode, type, sha, size: Number(size) };
          });
          return json(200, { sha: "tree", tree: state.truncate ? tree.slice(0, 1) : tree, truncated: state.truncate });
        }
        const bytes = git(bare, "cat-file", "blob", id);
        if (req.headers.accept?.includes("raw")) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
        return json(200, { content: bytes.toString("base64"), encoding: "base64", size: bytes.length });
      } catch {
        return json(m[3] === "trees" ? 404 : 422, { message: "No commit found for the ref" });
      }
    });
  };
  const server = await startHttpServer(handler);
  return {
    url: server.url,
    requests,
    auth,
    failNext(n, status, body = JSON.stringify({ message: "Server Error" }), headers = {}) {
      for (let i = 0; i < n; i++) failures.push({ status, body, headers });
    },
    get truncate() {
      return state.truncate;
    },
    set truncate(value: boolean) {
      state.truncate = value;
    },
    stop: server.stop,
  };
}
