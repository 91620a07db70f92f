import { afterAll, describe, expect, it } from "vitest";
import { GitHubClient } from "../../src/github/client.js";
import { listTree, readBlob, readFileAtRef } from "../../src/github/files.js";
import { MAX_SETTINGS_BYTES, SKIP_FILE_PATH } from "../../src/skips/index.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { makeServedRepo } from "../source/servers.js";

/** The reads every surface shares: a tree, a blob, the skip file, and the count of what they cost. */

const bigSkipFile = `skip:\n${"  - key: skill:legacy\n    reason: kept for the old clients\n".repeat(30_000)}`;
const repo = makeServedRepo({
  [SKIP_FILE_PATH]: bigSkipFile,
  "skills/a/SKILL.md": "---\nname: a\ndescription: A.\n---\n",
  "agents/latin1.md": new Uint8Array([...Buffer.from("---\nname: caf"), 0xe9, ...Buffer.from("\n---\n")]),
});
const tooBig = makeServedRepo({ [SKIP_FILE_PATH]: "#".repeat(MAX_SETTINGS_BYTES + 1) });
const github = await startFakeGitHub({ "acme/lib": repo.bare, "acme/huge": tooBig.bare });
afterAll(() => github.close());

const client = (name = "lib") => new GitHubClient({ token: "ghs_filesTestToken0123456789", owner: "acme", repo: name, baseUrl: github.url, retryAfterBaseValue: 1 });

describe("reading a repository's files", () => {
  it("reads a skip file over 1 MB, which the contents API serves without content, through its blob", async () => {
    expect(Buffer.byteLength(bigSkipFile)).toBeGreaterThan(1024 * 1024);
    const reader = client();
    const file = await readFileAtRef(reader.repository, SKIP_FILE_PATH, "main");
    expect(Buffer.from(file?.bytes ?? []).toString("utf8")).toBe(bigSkipFile);
    expect(github.requests.slice(-2).map((r) => r.path)).toEqual([`/repos/acme/lib/contents/${SKIP_FILE_PATH}`, `/repos/acme/lib/git/blobs/${file?.sha}`]);
    expect(reader.requests).toBe(2);
    expect(github.invalid).toEqual([]);
  });

  it("refuses a skip file over MAX_SETTINGS_BYTES without reading its bytes", async () => {
    const reader = client("huge");
    const error = await readFileAtRef(reader.repository, SKIP_FILE_PATH, "main").catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(`could not read ${SKIP_FILE_PATH} at main: it is 4,194,305 bytes, over the 4 MiB a settings file may hold`);
    expect(reader.requests).toBe(1);
    expect(reader.bytes).toBeLessThan(1000);
  });

  it("answers null for a file the ref does not have", async () => {
    expect(await readFileAtRef(client().repository, "nope.yml", "main")).toBeNull();
  });

  it("reads a blob's bytes as stored, invalid UTF-8 included", async () => {
    const reader = client();
    const { entries } = await listTree(reader.repository, "main");
    const latin1 = entries.find((e) => e.path === "agents/latin1.md");
    const bytes = await readBlob(reader.repository, latin1?.sha ?? "", "agents/latin1.md");
    expect(bytes).toContain(0xe9);
    expect(bytes.length).toBe(latin1?.size);
    expect(reader.bytes).toBeGreaterThan(bytes.length);
  });

  it("counts every request it sends, retries included", async () => {
    let failures = 2;
    github.override(() => (failures-- > 0 ? { status: 503, body: { message: "Service Unavailable" } } : undefined));
    try {
      const before = github.requests.length;
      const reader = client();
      await listTree(reader.repository, "main");
      expect(reader.requests).toBe(3);
      expect(github.requests.length - before).toBe(3);
    } finally {
      github.override(null);
    }
  });
});
