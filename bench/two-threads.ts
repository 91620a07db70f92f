/**
 * Whether a second thread pays on this machine: the scan's judging (reading, parsing and the rules)
 * on one thread, against the same judging split over two, each a process of its own.
 *
 *   npm run build && node lib/bench/two-threads.js DIR
 *
 * In the split, a worker thread judges every other skill, command and subagent (the rules of
 * these look at no other artifact's parse or verdict) while the first thread judges the rest;
 * the worker is started first, so it loads while the first thread lists and discovers. Both
 * call the pipeline's own `validate`. It prints the medians of alternating runs, their ratio,
 * and whether the two gave the same verdicts. A figure, not an assertion.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { loadConfig } from "../src/config.js";
import type { Artifact, ArtifactResult } from "../src/model.js";
import { collectArtifacts } from "../src/pipeline/artifacts.js";
import { classify, type Judged } from "../src/pipeline/classify.js";
import { ManifestReader } from "../src/pipeline/read.js";
import { validate } from "../src/pipeline/validate.js";
import { RULES } from "../src/rules/registry.js";
import { ruleSettingsOf } from "../src/rules/settings.js";
import type { SkilldexConfig } from "../src/skips/index.js";
import { WorkspaceSource } from "../src/source/workspace.js";
import { median } from "./median.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SELF = fileURLToPath(import.meta.url);
const SHARED_TYPES = new Set(["skill", "command", "agent"]);

type Verdict = Pick<ArtifactResult, "key" | "path" | "status" | "reason" | "findings">;

interface Share {
  root: string;
  files: string[];
  artifacts: Artifact[];
  /** Positions in the list of artifacts to judge, as classify gives it. */
  positions: number[];
}

const readerOf = (root: string): ManifestReader => new ManifestReader(new WorkspaceSource(root, { readAheadFrom: Infinity }));

/** Runs the rules on `toValidate` as the scan does, and gives their verdicts in order. */
async function judge(reader: ManifestReader, config: SkilldexConfig, files: string[], artifacts: Artifact[], toValidate: Judged[]): Promise<Verdict[]> {
  await validate(toValidate, { reader, files, artifacts, profile: "claude-code", rules: RULES, settings: ruleSettingsOf(config) });
  return toValidate.map(({ result }) => ({ key: result.key, path: result.path, status: result.status, reason: result.reason, findings: result.findings }));
}

function toJudge(config: SkilldexConfig, artifacts: Artifact[]): Judged[] {
  return classify(artifacts, config, false).toValidate;
}

/** One run: every verdict, in the order of the artifacts to judge. */
async function scanOnce(root: string, split: boolean): Promise<Verdict[]> {
  const worker = split ? new Worker(SELF) : null;
  const reader = readerOf(root);
  const config = loadConfig(root).config;
  const found = await collectArtifacts({ reader, repoName: "root" });
  const judged = toJudge(config, found.artifacts);
  // The first thread judges with the reader discovery filled, as the scan does.
  if (!worker) return judge(reader, config, found.files, found.artifacts, judged);
  let shared = 0;
  const theirs: number[] = [];
  const ours: number[] = [];
  judged.forEach((j, i) => (SHARED_TYPES.has(j.artifact.type) && shared++ % 2 === 0 ? theirs : ours).push(i));
  const answer = new Promise<Verdict[]>((resolve, reject) => (worker.once("message", resolve), worker.once("error", reject)));
  worker.postMessage({ root, files: found.files, artifacts: found.artifacts, positions: theirs } satisfies Share);
  const mine = await judge(reader, config, found.files, found.artifacts, ours.map((i) => judged[i] as Judged));
  const fromWorker = await answer;
  await worker.terminate();
  const verdicts: Verdict[] = new Array<Verdict>(judged.length);
  ours.forEach((position, k) => (verdicts[position] = mine[k] as Verdict));
  theirs.forEach((position, k) => (verdicts[position] = fromWorker[k] as Verdict));
  return verdicts;
}

if (!isMainThread) {
  parentPort?.once("message", (share: Share) => {
    const config = loadConfig(share.root).config;
    const judged = toJudge(config, share.artifacts);
    void judge(readerOf(share.root), config, share.files, share.artifacts, share.positions.map((i) => judged[i] as Judged)).then((verdicts) => parentPort?.postMessage(verdicts));
  });
} else if (process.argv[2] === "--once") {
  const verdicts = await scanOnce(process.argv[4] as string, process.argv[3] === "two");
  process.stdout.write(JSON.stringify(verdicts));
} else {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write("usage: two-threads DIR\n");
    process.exitCode = 2;
  } else {
    const run = (mode: "one" | "two"): { ms: number; out: string } => {
      const started = performance.now();
      const child = spawnSync(process.execPath, [SELF, "--once", mode, root], { encoding: "utf8", maxBuffer: 1 << 30 });
      if (child.status !== 0) throw new Error(`${mode}: ${child.stderr}`);
      return { ms: performance.now() - started, out: child.stdout };
    };
    const one: number[] = [];
    const two: number[] = [];
    let same = true;
    for (let i = 0; i <= RUNS; i++) {
      const a = run("one");
      const b = run("two");
      same &&= a.out === b.out;
      // The first round warms the page cache and is not counted.
      if (i === 0) continue;
      one.push(a.ms);
      two.push(b.ms);
    }
    console.log(`judging on one thread ${median(one).toFixed(0)} ms · split over two ${median(two).toFixed(0)} ms · ratio ${(median(two) / median(one)).toFixed(2)} · same verdicts: ${same ? "yes" : "NO"} · medians of ${RUNS} alternating runs, each a process of its own`);
  }
}
