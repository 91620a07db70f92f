import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// The reading thread is a module of its own: only the compiled tree (built before the tests) can start it.
import { scan } from "../../lib/src/pipeline/pipeline.js";
import { WorkspaceSource } from "../../lib/src/source/workspace.js";
import type { Report } from "../../src/model.js";
import pkg from "../../package.json" with { type: "json" };
import { makeTree, skill, type Tree } from "../helpers/repo.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A marketplace-sized workspace: 800 skills of three files each, a few of them broken, and the hostile cases. */
function largeWorkspace(): string {
  const tree: Tree = {};
  for (let i = 0; i < 800; i++) {
    const name = `skill-${String(i).padStart(3, "0")}`;
    tree[`skills/${name}/SKILL.md`] = i % 97 === 0 ? `---\nname: ${name}\ndescription: "unclosed\n---\n` : skill(name);
    tree[`skills/${name}/reference.md`] = `# ${name}\n`;
    tree[`skills/${name}/scripts/run.sh`] = "#!/bin/sh\necho run\n";
  }
  tree["skills/huge/SKILL.md"] = `---\nname: huge\ndescription: Too big to read.\n---\n${"x".repeat(1024 * 1024 + 10)}`;
  tree["skills/dangling/SKILL.md"] = { symlink: "/nonexistent/skilldex-missing.md" };
  const root = makeTree(tree);
  // A link to a file outside the repository is listed, and never read, by either thread.
  const outside = mkdtempSync(join(tmpdir(), "skilldex-outside-"));
  made.push(outside);
  writeFileSync(join(outside, "SKILL.md"), skill("outside"));
  symlinkSync(join(outside, "SKILL.md"), join(root, "skills/outside-link.md"));
  const linked = join(root, "skills/linked");
  mkdirSync(linked);
  symlinkSync(join(outside, "SKILL.md"), join(linked, "SKILL.md"));
  // A folder whose name is not valid UTF-8 is read by its bytes.
  writeFileSync(Buffer.concat([Buffer.from(`${root}/skills/`), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from("-skill")]), "");
  const resume = Buffer.concat([Buffer.from(`${root}/skills/`), Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6d, 0xe9])]);
  mkdirSync(resume);
  copyFileSync(join(root, "skills/skill-002/SKILL.md"), Buffer.concat([resume, Buffer.from("/SKILL.md")]));
  return root;
}

const text = (read: Awaited<ReturnType<WorkspaceSource["readFile"]>>): string | null => (read.ok ? Buffer.from(read.bytes).toString() : null);
const withoutTimings = (report: Report): unknown => ({ ...report, timings: null });

describe("reading a large workspace on a second thread", () => {
  const root = largeWorkspace();

  it("gives the same report as reading every file on one thread, the hostile files included", async () => {
    const oneThread = new WorkspaceSource(root, { readAheadFrom: Infinity });
    const twoThreads = new WorkspaceSource(root, { readAheadFrom: 0 });
    const alone = await scan({ root, source: oneThread });
    const ahead = await scan({ root, source: twoThreads });
    await twoThreads.dispose();
    expect(oneThread.filesReadAhead).toBe(0);
    // Every skill's SKILL.md came from the thread: the thread did run.
    expect(twoThreads.filesReadAhead).toBeGreaterThanOrEqual(800);
    expect(withoutTimings(ahead)).toEqual(withoutTimings(alone));
    const failed = ahead.artifacts.filter((a) => a.status === "failed").map((a) => `${a.key} ${a.reason?.code}`);
    expect(failed).toEqual(expect.arrayContaining(["skill:huge too_large", "skill:dangling io_error", "skill:linked io_error", "skill:skill-000 yaml_parse_error"]));
    expect(ahead.artifacts.some((a) => a.key === "skill:r\ufffdsum\ufffd" && a.status === "success")).toBe(true);
  });

  it("the CLI scans a large folder as the core does, and its process exits when the scan is done", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "skilldex-out-")), "report.json");
    made.push(join(out, ".."));
    const run = spawnSync(process.execPath, [pkg.bin.skilldex, "scan", root, "--format", "json", "--output", out], { encoding: "utf8", timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    const alone = await scan({ root, source: new WorkspaceSource(root, { readAheadFrom: Infinity }) });
    expect(report.totals).toEqual(alone.totals);
    expect(report.totals.discovered).toBe(804);
    expect(report.metrics.filesRead).toBe(alone.metrics.filesRead);
  });

  it("hands each file over once, decoded, and reads again what was read under a smaller cap than the caller's", async () => {
    const small = makeTree({ "a.md": "---\nname: a\n---\nbody\n", "b.json": '{"b": 1}', "c.md": "0123456789abcdef", "d.md": "---\nx: 1\n---\nbody\n" });
    const source = new WorkspaceSource(small, { readAheadFrom: 0 });
    await source.listFiles();
    source.readAhead(["a.md", "b.json", "c.md", "d.md", "missing.md"], 20);
    // Over the cap it was read with, under the caller's: read again, on this thread.
    expect(await source.readDecoded("a.md", 100)).toMatchObject({ ok: true, file: { format: "markdown", decoded: { text: "---\nname: a\n---" }, size: 21 } });
    expect(await source.readDecoded("c.md", 5)).toEqual({ ok: false, code: "too_large", size: 16 });
    expect(await source.readDecoded("b.json", 100)).toMatchObject({ ok: true, file: { format: "json", decoded: { text: '{"b": 1}', problems: [] }, size: 8 } });
    // Markdown is decoded up to the end of its frontmatter.
    expect(await source.readDecoded("d.md", 100)).toMatchObject({ ok: true, file: { format: "markdown", decoded: { text: "---\nx: 1\n---" }, hidden: [], size: 18 } });
    expect(await source.readDecoded("missing.md", 100)).toMatchObject({ ok: false, code: "io_error", missing: true });
    expect(source.filesReadAhead).toBe(4);
    // Taken once: b.json is read on this thread the second time, as are the files never asked for ahead.
    expect(await source.readDecoded("b.json", 100)).toMatchObject({ ok: true, file: { decoded: { text: '{"b": 1}' } } });
    expect(await source.readDecoded("other.md", 100)).toMatchObject({ ok: false, code: "io_error", missing: true });
    expect(source.filesReadAhead).toBe(4);
    expect(text(await source.readFile("a.md", 100))).toBe("---\nname: a\n---\nbody\n");
    await source.dispose();
  });

  it("never keeps a process alive: a source whose owner neither reads ahead nor disposes it lets the process exit", () => {
    const workspace = join(process.cwd(), "lib/src/source/workspace.js");
    const script = `import { WorkspaceSource } from ${JSON.stringify(workspace)}; const s = new WorkspaceSource(${JSON.stringify(root)}, { readAheadFrom: 0 }); await s.listFiles(); process.stdout.write("listed");`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe("listed");
    expect(run.status).toBe(0);
  });

  it("reads on this thread what the stopped thread had not delivered", async () => {
    const source = new WorkspaceSource(makeTree({ "a.md": "a\n" }), { readAheadFrom: 0 });
    await source.listFiles();
    source.readAhead(["a.md"], 100);
    await source.dispose();
    expect(await source.readDecoded("a.md", 100)).toMatchObject({ ok: true, file: { decoded: { text: "a\n" } } });
    expect(source.filesReadAhead).toBe(0);
  });
});
