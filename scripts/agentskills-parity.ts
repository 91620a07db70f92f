/**
 * `node lib/scripts/agentskills-parity.js --skills-ref DIR [--python PATH] [--skilldex PATH]
 * [--examples N] [--json] CORPUS...` (after `npm run build`): whether `--profile agentskills`
 * gives every SKILL.md the verdict of the Agent Skills reference validator.
 *
 * For each corpus folder it finds every SKILL.md (and skill.md where the folder has no SKILL.md)
 * the way skilldex walks a folder (never .git nor node_modules; links to folders inside the
 * corpus followed), runs skills-ref's validate() on each skill folder in one Python process, runs
 * `skilldex scan CORPUS --profile agentskills --format json` once, and compares the two verdicts
 * folder by folder. Where skilldex skips duplicates unvalidated (it is asked, on two copies of one
 * invalid skill), a skill skipped as a duplicate has no verdict: that is a disagreement; where it
 * validates them, `skipped: duplicate` is a pass.
 *
 * DIR is the skills-ref folder of the agentskills/agentskills repository (the one holding
 * src/skills_ref). The fixture test/rules/fixtures/skills-ref-verdicts.json was recorded with
 * skills-ref 0.1.0 on Debian's python3 with python3-strictyaml 1.6.1 and python3-ruamel.yaml
 * 0.17.21 (`apt-get install -y python3-strictyaml python3-click`), so --python defaults to
 * /usr/bin/python3 where it exists. Exit 0 when every SKILL.md agrees, 1 when some do not, 2 on
 * bad usage or when skills-ref or skilldex cannot be run.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** What skills-ref says about one skill folder. */
export interface ReferenceVerdict {
  valid: boolean;
  errors: string[];
  /** The validator raised something other than its own ParseError (the CLI shows a traceback). */
  crashed?: boolean;
}

/** The part of a skilldex JSON report this script reads. */
export interface ReportArtifact {
  key: string;
  type: string;
  path: string;
  files: string[];
  status: "success" | "skipped" | "failed";
  reason: { code: string; message: string } | null;
  findings: { rule: string; severity: string; message: string; file: string; line?: number }[];
}

export type Kind =
  | "agree"
  | "unvalidated-duplicate"
  | "skilldex-fails-ref-passes"
  | "skilldex-passes-ref-fails"
  | "skilldex-skips-otherwise"
  | "not-reported-by-skilldex";

export const DISAGREEMENT_KINDS: readonly Exclude<Kind, "agree">[] = [
  "unvalidated-duplicate",
  "skilldex-fails-ref-passes",
  "skilldex-passes-ref-fails",
  "skilldex-skips-otherwise",
  "not-reported-by-skilldex",
];

const KIND_TITLES: Record<Exclude<Kind, "agree">, string> = {
  "unvalidated-duplicate": "skilldex skips as a duplicate (not validated)",
  "skilldex-fails-ref-passes": "skilldex fails, skills-ref passes",
  "skilldex-passes-ref-fails": "skilldex passes, skills-ref fails",
  "skilldex-skips-otherwise": "skilldex skips for another reason",
  "not-reported-by-skilldex": "no skill artifact in skilldex's report",
};

export interface Comparison {
  /** The skill folder, relative to the corpus ("" for the corpus itself). */
  folder: string;
  kind: Kind;
  skilldex: { key: string; status: string; reason: string | null; messages: string[] } | null;
  ref: ReferenceVerdict;
}

export interface CorpusResult {
  corpus: string;
  skillMd: number;
  agree: number;
  disagree: number;
  kinds: Record<Exclude<Kind, "agree">, number>;
  /** Skill artifacts skilldex reports at folders that hold no SKILL.md (not compared). */
  extraSkillArtifacts: string[];
  comparisons: Comparison[];
}

/** Skill folders in a corpus, relative and sorted, found as skilldex's workspace walk finds files. */
export function findSkillFolders(root: string): string[] {
  const files: string[] = [];
  const ancestors = new Set<string>();
  const rootReal = realpathSync.native(root);
  const walk = (dir: string, real: string, rel: string): void => {
    if (ancestors.has(real)) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    ancestors.add(real);
    for (const entry of entries) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const child = join(dir, entry.name);
      if (entry.isDirectory()) walk(child, join(real, entry.name), childRel);
      else if (entry.isFile()) files.push(childRel);
      else if (entry.isSymbolicLink()) {
        try {
          const target = realpathSync.native(child);
          if (statSync(child).isDirectory()) {
            if (target === rootReal || target.startsWith(`${rootReal}/`)) walk(child, target, childRel);
          } else files.push(childRel);
        } catch {
          files.push(childRel);
        }
      }
    }
    ancestors.delete(real);
  };
  walk(root, rootReal, "");
  const fileSet = new Set(files);
  const folders = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    const upper = folder ? `${folder}/SKILL.md` : "SKILL.md";
    if (name === "SKILL.md" || (name === "skill.md" && !fileSet.has(upper))) folders.add(folder);
  }
  return [...folders].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function skilldexMessages(artifact: ReportArtifact): string[] {
  const errors = artifact.findings.filter((f) => f.severity === "error");
  if (errors.length > 0) return errors.map((f) => `${f.rule}: ${f.message} (${f.file}${f.line ? `:${f.line}` : ""})`);
  return artifact.reason ? [`${artifact.reason.code}: ${artifact.reason.message}`] : [];
}

/**
 * Compares the two verdicts for every skill folder of one corpus. When skilldex validates
 * duplicates (a duplicate with an error fails), `skipped: duplicate` means the copy passed;
 * otherwise it means the copy was never validated.
 */
export function compareCorpus(corpus: string, folders: readonly string[], verdicts: ReadonlyMap<string, ReferenceVerdict>, artifacts: readonly ReportArtifact[], duplicatesValidated: boolean): CorpusResult {
  const skills = new Map<string, ReportArtifact>();
  for (const artifact of artifacts) if (artifact.type === "skill" && !skills.has(artifact.path)) skills.set(artifact.path, artifact);
  const folderSet = new Set(folders);
  const kinds = Object.fromEntries(DISAGREEMENT_KINDS.map((k) => [k, 0])) as Record<Exclude<Kind, "agree">, number>;
  const comparisons: Comparison[] = [];
  let agree = 0;
  for (const folder of folders) {
    const ref = verdicts.get(folder) ?? { valid: false, errors: ["skills-ref gave no answer for this folder"], crashed: true };
    const artifact = skills.get(folder);
    let kind: Kind;
    if (!artifact) kind = "not-reported-by-skilldex";
    else {
      const duplicate = artifact.status === "skipped" && artifact.reason?.code === "duplicate";
      const passes = artifact.status === "success" || (duplicate && duplicatesValidated);
      if (artifact.status === "skipped" && !passes) kind = duplicate ? "unvalidated-duplicate" : "skilldex-skips-otherwise";
      else if (passes === ref.valid) kind = "agree";
      else kind = passes ? "skilldex-passes-ref-fails" : "skilldex-fails-ref-passes";
    }
    if (kind === "agree") agree++;
    else kinds[kind]++;
    comparisons.push({
      folder,
      kind,
      skilldex: artifact ? { key: artifact.key, status: artifact.status, reason: artifact.reason?.code ?? null, messages: skilldexMessages(artifact) } : null,
      ref,
    });
  }
  const extraSkillArtifacts = [...skills.keys()].filter((path) => !folderSet.has(path)).sort();
  return { corpus, skillMd: folders.length, agree, disagree: folders.length - agree, kinds, extraSkillArtifacts, comparisons };
}

/**
 * Reads skill folders (absolute, one a line) on stdin and prints one JSON line per folder. The
 * loop mirrors `skills-ref validate`: a ParseError becomes the error list, anything else it
 * raises is what the CLI would end on with a traceback, so the folder is invalid either way.
 */
const PYTHON_LOOP = String.raw`
import json, sys, traceback
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from skills_ref.validator import validate
for line in sys.stdin:
    folder = line.rstrip("\n")
    if not folder:
        continue
    try:
        errors = [str(e) for e in validate(Path(folder))]
        out = {"folder": folder, "valid": not errors, "errors": errors}
    except Exception as e:
        out = {"folder": folder, "valid": False, "errors": ["%s: %s" % (type(e).__name__, e)], "crashed": True}
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
`;

const PYTHON_SETUP = String.raw`
import json, sys, platform
sys.path.insert(0, sys.argv[1])
import skills_ref.validator
from importlib import metadata
def version(name):
    try:
        return metadata.version(name)
    except Exception:
        return None
import ruamel.yaml
print(json.dumps({"python": platform.python_version(), "executable": sys.executable, "strictyaml": version("strictyaml"), "ruamel.yaml": ruamel.yaml.__version__}))
`;

export interface ReferenceSetup {
  skillsRef: string;
  python: string;
  executable: string;
  strictyaml: string | null;
  "ruamel.yaml": string;
}

/** The src folder that holds the skills_ref package, from the skills-ref folder or src itself. */
function referenceSourceFolder(skillsRef: string): string {
  for (const candidate of [join(skillsRef, "src"), skillsRef]) if (existsSync(join(candidate, "skills_ref", "validator.py"))) return candidate;
  throw new UsageError(`${skillsRef} holds no skills_ref package (expected src/skills_ref/validator.py): pass the skills-ref folder of agentskills/agentskills`);
}

class UsageError extends Error {}

function referenceSetup(python: string, source: string, skillsRef: string): ReferenceSetup {
  const run = spawnSync(python, ["-c", PYTHON_SETUP, source], { encoding: "utf8" });
  if (run.error) throw new UsageError(`cannot run ${python}: ${run.error.message}`);
  if (run.status !== 0) {
    const last = run.stderr.trim().split("\n").at(-1) ?? "";
    throw new UsageError(`${python} cannot import skills-ref from ${source}: ${last} (on Debian: apt-get install -y python3-strictyaml python3-click)`);
  }
  const pyproject = existsSync(join(skillsRef, "pyproject.toml")) ? readFileSync(join(skillsRef, "pyproject.toml"), "utf8") : "";
  const version = /^version\s*=\s*"([^"]+)"/m.exec(pyproject)?.[1] ?? "unknown";
  return { skillsRef: version, ...(JSON.parse(run.stdout) as Omit<ReferenceSetup, "skillsRef">) };
}

/** skills-ref's verdict on every folder, from one Python process. */
export async function referenceVerdicts(python: string, source: string, folders: readonly string[]): Promise<Map<string, ReferenceVerdict>> {
  // UTF-8 whatever the caller's locale, as `skills-ref validate` reads files in a UTF-8 locale.
  const child = spawn(python, ["-c", PYTHON_LOOP, source], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PYTHONUTF8: "1", PYTHONIOENCODING: "utf-8" } });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  const verdicts = new Map<string, ReferenceVerdict>();
  const lines = createInterface({ input: child.stdout });
  const reading = (async () => {
    for await (const line of lines) {
      const answer = JSON.parse(line) as ReferenceVerdict & { folder: string };
      const { folder, ...verdict } = answer;
      verdicts.set(folder, verdict);
    }
  })();
  child.stdin.end(folders.map((f) => `${f}\n`).join(""));
  const [code] = await Promise.all([exited, reading]);
  if (code !== 0) throw new Error(`skills-ref stopped (exit ${code}): ${stderr.trim().split("\n").at(-1) ?? ""}`);
  return verdicts;
}

export function skilldexArtifacts(node: string, cli: string, corpus: string): ReportArtifact[] {
  const dir = mkdtempSync(join(tmpdir(), "agentskills-parity-"));
  try {
    const output = join(dir, "report.json");
    const run = spawnSync(node, [cli, "scan", corpus, "--profile", "agentskills", "--format", "json", "--fail-on", "never", "--output", output], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error || run.status !== 0 || !existsSync(output)) throw new Error(`skilldex scan ${corpus} failed (exit ${run.status}): ${(run.error?.message ?? run.stderr).trim()}`);
    return (JSON.parse(readFileSync(output, "utf8")) as { artifacts: ReportArtifact[] }).artifacts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether this skilldex validates duplicates, asked of it rather than assumed: two copies of one
 * invalid skill both fail when it does, and the second is only skipped when it does not.
 */
export function validatesDuplicates(node: string, cli: string): boolean {
  const corpus = mkdtempSync(join(tmpdir(), "agentskills-parity-probe-"));
  try {
    for (const copy of ["a", "b"]) {
      mkdirSync(join(corpus, copy, "probe"), { recursive: true });
      writeFileSync(join(corpus, copy, "probe", "SKILL.md"), "---\nname: not-the-folder\ndescription: x\n---\n");
    }
    const copies = skilldexArtifacts(node, cli, corpus).filter((a) => a.type === "skill");
    return copies.length === 2 && copies.every((a) => a.status === "failed");
  } finally {
    rmSync(corpus, { recursive: true, force: true });
  }
}

function renderText(results: readonly CorpusResult[], total: CorpusResult, setup: ReferenceSetup, duplicatesValidated: boolean, examples: number): string {
  const out: string[] = [];
  out.push(`skills-ref ${setup.skillsRef}, Python ${setup.python} (${setup.executable}), strictyaml ${setup.strictyaml ?? "?"}, ruamel.yaml ${setup["ruamel.yaml"]}`);
  out.push(duplicatesValidated ? "skilldex validates duplicates: skipped: duplicate counts as a pass" : "skilldex does not validate duplicates: skipped: duplicate counts as a disagreement");
  const line = (r: CorpusResult): string => {
    const parts = DISAGREEMENT_KINDS.filter((k) => r.kinds[k] > 0).map((k) => `${r.kinds[k]} ${k}`);
    return `${r.corpus}: ${r.skillMd} SKILL.md, ${r.agree} agree, ${r.disagree} disagree${parts.length ? ` (${parts.join(", ")})` : ""}`;
  };
  out.push("", ...results.map(line), "", line(total).replace(/^[^:]*:/, "total:"));
  for (const kind of DISAGREEMENT_KINDS) {
    const cases = results.flatMap((r) => r.comparisons.filter((c) => c.kind === kind).map((c) => ({ corpus: r.corpus, c })));
    if (cases.length === 0) continue;
    const refValid = cases.filter(({ c }) => c.ref.valid).length;
    out.push("", `## ${KIND_TITLES[kind]}: ${cases.length}${kind === "unvalidated-duplicate" ? ` (skills-ref accepts ${refValid}, rejects ${cases.length - refValid})` : ""}`);
    for (const { corpus, c } of cases.slice(0, examples)) {
      out.push(`- ${join(corpus, c.folder)}`);
      if (c.skilldex) out.push(`    skilldex ${c.skilldex.status}${c.skilldex.reason ? ` (${c.skilldex.reason})` : ""} ${c.skilldex.key}`, ...c.skilldex.messages.map((m) => `      ${m}`));
      out.push(`    skills-ref ${c.ref.valid ? "valid" : c.ref.crashed ? "invalid (crashed)" : "invalid"}`, ...c.ref.errors.map((m) => `      ${m}`));
    }
    if (cases.length > examples) out.push(`  … and ${cases.length - examples} more`);
  }
  const extra = results.reduce((n, r) => n + r.extraSkillArtifacts.length, 0);
  if (extra > 0) out.push("", `skill artifacts at folders without SKILL.md (not compared): ${extra}`, ...results.flatMap((r) => r.extraSkillArtifacts.slice(0, examples).map((p) => `- ${join(r.corpus, p)}`)));
  return `${out.join("\n")}\n`;
}

function totalOf(results: readonly CorpusResult[]): CorpusResult {
  const kinds = Object.fromEntries(DISAGREEMENT_KINDS.map((k) => [k, results.reduce((n, r) => n + r.kinds[k], 0)])) as CorpusResult["kinds"];
  const sum = (f: (r: CorpusResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  return { corpus: "total", skillMd: sum((r) => r.skillMd), agree: sum((r) => r.agree), disagree: sum((r) => r.disagree), kinds, extraSkillArtifacts: [], comparisons: [] };
}

const USAGE = "usage: node lib/scripts/agentskills-parity.js --skills-ref DIR [--python PATH] [--skilldex PATH] [--examples N] [--json] CORPUS...";

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "skills-ref": { type: "string" },
      python: { type: "string" },
      skilldex: { type: "string" },
      examples: { type: "string", default: "10" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const examples = Number(values.examples);
  if (!values["skills-ref"] || positionals.length === 0 || !Number.isInteger(examples) || examples < 0) throw new UsageError(USAGE);
  const skillsRef = resolve(values["skills-ref"]);
  const source = referenceSourceFolder(skillsRef);
  const python = values.python ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  const cli = resolve(values.skilldex ?? fileURLToPath(new URL("../src/cli/main.js", import.meta.url)));
  if (!existsSync(cli)) throw new UsageError(`${cli} does not exist: run npm run build first, or pass --skilldex`);
  const setup = referenceSetup(python, source, skillsRef);
  const duplicatesValidated = validatesDuplicates(process.execPath, cli);

  const results: CorpusResult[] = [];
  for (const given of positionals) {
    const corpus = resolve(given);
    if (!existsSync(corpus) || !statSync(corpus).isDirectory()) throw new UsageError(`${given} is not a folder`);
    const folders = findSkillFolders(corpus);
    const absolute = await referenceVerdicts(python, source, folders.map((f) => (f ? join(corpus, f) : corpus)));
    const verdicts = new Map(folders.map((f) => [f, absolute.get(f ? join(corpus, f) : corpus)!] as const).filter(([, v]) => v !== undefined));
    results.push(compareCorpus(corpus, folders, verdicts, skilldexArtifacts(process.execPath, cli, corpus), duplicatesValidated));
  }
  const total = totalOf(results);
  if (values.json) {
    const strip = ({ comparisons, ...rest }: CorpusResult) => ({ ...rest, disagreements: comparisons.filter((c) => c.kind !== "agree") });
    process.stdout.write(`${JSON.stringify({ reference: setup, skilldex: cli, duplicatesValidated, corpora: results.map(strip), total: { skillMd: total.skillMd, agree: total.agree, disagree: total.disagree, kinds: total.kinds } }, null, 1)}\n`);
  } else {
    process.stdout.write(renderText(results, total, setup, duplicatesValidated, examples));
  }
  return total.disagree === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith("agentskills-parity.js")) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
