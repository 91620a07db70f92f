import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { byKey, scanTree } from "../helpers/repo.js";
import { FakeGitHub, serveThroughNock, stopServingThroughNock } from "../helpers/fake-github.js";
import { loadApp, newFake, type TestApp } from "./helpers.js";

const FILE = ".github/skilldex.yml";

/**
 * A marketplace that lists a plugin folder holding no plugin.json (so only the marketplace makes
 * it a plugin), and a plugin whose manifest names its hooks file at a path of its own.
 */
const FILES: Record<string, string> = {
  ".claude-plugin/marketplace.json": `${JSON.stringify(
    {
      name: "skills",
      owner: { name: "Octo" },
      plugins: [
        { name: "pdf", source: "./vendor/pdf", description: "PDF tools." },
        { name: "tools", source: "./plugins/tools", description: "Tools." },
      ],
    },
    null,
    2,
  )}\n`,
  "vendor/pdf/skills/extract/SKILL.md": "---\nname: extract\ndescription: Extracts text from PDFs. Use when asked to read a PDF.\n---\n\nRead it.\n",
  "plugins/tools/.claude-plugin/plugin.json": `${JSON.stringify({ name: "tools", version: "1.0.0", description: "Tools.", hooks: "./config/hooks.json" }, null, 2)}\n`,
  "plugins/tools/config/hooks.json": `${JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo checked" }] }] } }, null, 2)}\n`,
};

let fake: FakeGitHub;
let app: TestApp;

beforeEach(async () => {
  fake = newFake(FakeGitHub, FILES);
  fake.openPull(42, { head: "feature" });
  serveThroughNock(fake);
  app = await loadApp();
});

afterEach(() => {
  stopServingThroughNock();
  // Every request the app made is one GitHub's OpenAPI description allows.
  expect(fake.invalid).toEqual([]);
});

/** Scans the pull request's head as the next skilldex run would: the same files, skip file included. */
async function scanHead() {
  const files = Object.fromEntries([...fake.history("feature")[0]!.files]);
  return scanTree(files);
}

describe("the app resolves keys as the scan computes them", () => {
  test("accepts the scan's key for a skill in a folder a marketplace lists, and the next scan skips it", async () => {
    const before = await scanHead();
    expect(byKey(before, "skill:pdf/extract").status).toBe("success");

    await app.comment({ body: "/skip skill:pdf/extract Vendored, checked upstream" });

    expect(fake.file("feature", FILE)).toContain("  - key: skill:pdf/extract\n    reason: Vendored, checked upstream\n");
    expect(fake.replies(42)[0]).toContain("skipped `skill:pdf/extract`: committed");
    const after = await scanHead();
    expect(byKey(after, "skill:pdf/extract")).toMatchObject({ status: "skipped", reason: { code: "in_skip_list" } });
    expect(after.warnings.filter((w) => w.includes("matches no artifact"))).toEqual([]);
  });

  test("resolves a path inside the listed folder to the namespaced key", async () => {
    await app.comment({ body: "/skip vendor/pdf/skills/extract" });

    expect(fake.file("feature", FILE)).toContain("  - key: skill:pdf/extract\n");
  });

  test("does not take the key a listing without the marketplace would give", async () => {
    await app.comment({ body: "/skip skill:extract" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(fake.replies(42)[0]).toContain("no artifact matches `skill:extract`");
    expect(fake.replies(42)[0]).toContain("skill:pdf/extract");
  });

  test("accepts the key of a hooks file that plugin.json names, and the next scan skips it", async () => {
    await app.comment({ body: "/skip hook:tools/config/hooks.json Reviewed by hand" });

    expect(fake.file("feature", FILE)).toContain("  - key: hook:tools/config/hooks.json\n");
    expect(byKey(await scanHead(), "hook:tools/config/hooks.json")).toMatchObject({ status: "skipped", reason: { code: "in_skip_list" } });
  });

  test("resolves keys without a manifest it cannot parse, logging which one", async () => {
    fake.commit("feature", { "broken/.claude-plugin/plugin.json": '{"name": "broken", "hooks": "./h.json",}\n', "broken/h.json": "{}\n" });

    await app.comment({ body: "/skip skill:pdf/extract" });

    expect(fake.file("feature", FILE)).toContain("  - key: skill:pdf/extract\n");
    expect(app.records.find((r) => r.path === "broken/.claude-plugin/plugin.json")).toMatchObject({ level: "warn", msg: expect.stringContaining("not valid JSON") });
  });

  test("resolves keys without a manifest it cannot read, logging why", async () => {
    const handle = fake.handle.bind(fake);
    fake.handle = (method, url, body) => (url.includes("/git/blobs/") ? { status: 500, body: { message: "Server Error" } } : handle(method, url, body));

    await app.comment({ body: "/skip skill:pdf/extract" });

    // Without the marketplace the folder is no plugin, so the scan's key is unknown; the answer still comes.
    expect(fake.replies(42)[0]).toContain("no artifact matches `skill:pdf/extract`");
    expect(app.records.find((r) => r.path === ".claude-plugin/marketplace.json")).toMatchObject({ level: "warn", problem: expect.stringContaining("api.github.com answered 500") });
  });

  test("does not take a key for a file the scan reads and finds no artifact, as an mcp.json without servers", async () => {
    fake.commit("feature", { "mcp.json": '{"name": "not an MCP config"}\n' });
    expect((await scanHead()).artifacts.filter((a) => a.type === "mcp")).toEqual([]);

    await app.comment({ body: "/skip mcp:project" });

    expect(fake.file("feature", FILE)).toBeNull();
    expect(fake.replies(42)[0]).toContain("no artifact matches `mcp:project`");
  });

  test("reads each manifest of the listing once (marketplace.json, plugin.json, then the hooks file it names), by the blob the listing names, and none for `/skips`", async () => {
    await app.comment({ body: "/skips" });
    await app.comment({ body: "/skip skill:pdf/extract" });

    const blobReads = fake.requests.filter((r) => r.path.includes("/git/blobs/"));
    expect(blobReads).toHaveLength(3);
  });
});
