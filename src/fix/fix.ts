import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding, Profile, Report } from "../model.js";
import { fixOf } from "../rules/fixes.js";
import type { FixLevel } from "../rules/types.js";
import { scan, type ScanOptions } from "../pipeline/pipeline.js";
import { MAX_MANIFEST_BYTES } from "../pipeline/read.js";
import type { DecodedRead, FileSource, ReadResult } from "../source/types.js";
import { isWithinFolder, WorkspaceSource } from "../source/workspace.js";
import { spliceFixes, type FileFix } from "./edits.js";

/** ESLint's bound: fixes that keep overlapping after this many passes wait for another run. */
export const MAX_PASSES = 10;

export interface FixOptions extends Pick<ScanOptions, "configPath" | "repoName" | "rules" | "skipPreferences"> {
  root: string;
  profile?: Profile | null;
  /** Also apply the fixes that change meaning. */
  suggested?: boolean;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
  /** A scan of the folder with these options made already in this process, to start from instead of scanning again. */
  before?: Report;
}

/** One file the fixes changed: its text before and after, and the rules whose fixes went in. */
export interface FileChange {
  file: string;
  before: string;
  after: string;
  rules: Record<string, number>;
}

export interface FixResult {
  /** The scan before any fix. */
  before: Report;
  /** The scan of the fixed files. */
  after: Report;
  changes: FileChange[];
  passes: number;
  /** Files a fix would change but that are not written: a link out of the folder. */
  refused: string[];
}

/** The fix levels applied: safe always, suggested when asked for. */
export function fixLevels(suggested: boolean): readonly FixLevel[] {
  return suggested ? ["safe", "suggested"] : ["safe"];
}

/**
 * Scans, applies the fixes the findings offer, and scans again, until no fix is left or
 * MAX_PASSES is reached; the fixed texts are kept in memory between passes and written once
 * at the end, so a dry run sees every pass too.
 */
export async function fixFolder(options: FixOptions): Promise<FixResult> {
  const workspace = new WorkspaceSource(options.root);
  const fixed = await fixSource(workspace, {
    root: options.root,
    profile: options.profile ?? null,
    configPath: options.configPath ?? null,
    ...(options.repoName ? { repoName: options.repoName } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.skipPreferences === false ? { skipPreferences: false } : {}),
    ...(options.before ? { before: options.before } : {}),
    suggested: options.suggested === true,
  }).finally(() => workspace.dispose());
  const refused: string[] = [];
  if (!options.dryRun) {
    for (const change of fixed.changes) {
      const path = join(options.root, change.file);
      // A link that leads out of the folder is not the repository's to change.
      if (!isWithinFolder(realpathSync(path), realpathSync(options.root))) {
        refused.push(change.file);
        continue;
      }
      writeFileSync(path, change.after);
    }
  }
  return { ...fixed, changes: fixed.changes.filter((c) => !refused.includes(c.file)), refused };
}

export interface FixSourceOptions extends Omit<ScanOptions, "source"> {
  /** Also apply the fixes that change meaning. */
  suggested?: boolean;
  /** A scan of the source with these options made already in this process, to start from instead of scanning again. */
  before?: Report;
}

/**
 * The fix passes over any source (a folder, a clone, the API), the fixed texts kept in memory and
 * nothing written: the caller writes the changes where they belong, a folder or a commit.
 */
export async function fixSource(inner: FileSource, options: FixSourceOptions): Promise<Omit<FixResult, "refused">> {
  const { suggested, before: scanned, ...scanOptions } = options;
  const levels = fixLevels(suggested === true);
  const source = new OverlaySource(inner);
  const rescan = () => scan({ ...scanOptions, source });
  const before = scanned ?? (await rescan());
  let report = before;
  const changes = new Map<string, FileChange>();
  let passes = 0;
  while (passes < MAX_PASSES) {
    const byFile = fixesByFile(report, levels);
    if (byFile.size === 0) break;
    let changed = false;
    for (const [file, found] of byFile) {
      const text = await source.text(file);
      if (text === null) continue;
      const { text: fixed, applied } = spliceFixes(text, found.map(({ finding }) => (fixOf(finding)?.edits(text) ?? []) as FileFix));
      if (fixed === text) continue;
      const change = changes.get(file) ?? { file, before: text, after: text, rules: {} };
      change.after = fixed;
      for (const i of applied) {
        const rule = (found[i] as { finding: Finding }).finding.rule;
        change.rules[rule] = (change.rules[rule] ?? 0) + 1;
      }
      changes.set(file, change);
      source.write(file, fixed);
      changed = true;
    }
    if (!changed) break;
    passes++;
    report = await rescan();
  }
  const done = [...changes.values()].filter((c) => c.after !== c.before).sort((a, b) => (a.file < b.file ? -1 : 1));
  return { before, after: report, changes: done, passes };
}

/** The findings of a report whose fix is at one of the levels, by the file they fix; skipped artifacts are not touched. */
export function fixesByFile(report: Report, levels: readonly FixLevel[]): Map<string, { finding: Finding }[]> {
  const byFile = new Map<string, { finding: Finding }[]>();
  for (const artifact of report.artifacts) {
    if (artifact.status === "skipped") continue;
    for (const finding of artifact.findings) {
      const fix = fixOf(finding);
      if (!fix || !levels.includes(fix.level)) continue;
      const list = byFile.get(finding.file) ?? [];
      list.push({ finding });
      byFile.set(finding.file, list);
    }
  }
  return byFile;
}

/** How many fixes went into the changed files, every rule's counted. */
export function fixesApplied(changes: readonly FileChange[]): number {
  return changes.reduce((n, c) => n + Object.values(c.rules).reduce((a, b) => a + b, 0), 0);
}

/** A count of the findings `skilldex fix` would repair, by level. */
export function fixableCounts(report: Report): Record<FixLevel, number> {
  const counts: Record<FixLevel, number> = { safe: 0, suggested: 0 };
  for (const artifact of report.artifacts) for (const f of artifact.findings) if (f.fixable) counts[f.fixable]++;
  return counts;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A file's bytes as the fixes see them, a BOM included; null when they are not UTF-8. */
export function fixText(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** A source, with the files fixed so far read from memory. */
class OverlaySource implements FileSource {
  readonly strategy: string;
  private readonly fixed = new Map<string, string>();
  private listing: ReturnType<FileSource["listFiles"]> | null = null;

  constructor(private readonly inner: FileSource) {
    this.strategy = inner.strategy;
  }

  get localRoot(): string | null | undefined {
    return this.inner.localRoot;
  }

  get apiCalls(): number | undefined {
    return this.inner.apiCalls;
  }

  get bytesFetched(): number | undefined {
    return this.inner.bytesFetched;
  }

  /** Fixes change files and add none: every pass sees the first pass's listing. */
  listFiles(): ReturnType<FileSource["listFiles"]> {
    this.listing ??= this.inner.listFiles();
    return this.listing;
  }

  /** What the inner source reads ahead, or decodes, is what is on disk: a fixed file is read from memory. */
  readAhead(paths: readonly string[], maxBytes: number): void {
    this.inner.readAhead?.(
      paths.filter((path) => !this.fixed.has(path)),
      maxBytes,
    );
  }

  async readDecoded(path: string, maxBytes: number): Promise<DecodedRead | null> {
    return this.fixed.has(path) ? null : ((await this.inner.readDecoded?.(path, maxBytes)) ?? null);
  }

  async readFile(path: string, maxBytes: number): Promise<ReadResult> {
    const text = this.fixed.get(path);
    if (text === undefined) return this.inner.readFile(path, maxBytes);
    const bytes = new TextEncoder().encode(text);
    return bytes.length > maxBytes ? { ok: false, code: "too_large", size: bytes.length } : { ok: true, bytes };
  }

  compareWithBase(base: string): ReturnType<FileSource["compareWithBase"]> {
    return this.inner.compareWithBase(base);
  }

  /** A file's text as the fixes see it, a BOM included; null when it cannot be read as UTF-8. */
  async text(path: string): Promise<string | null> {
    const fixed = this.fixed.get(path);
    if (fixed !== undefined) return fixed;
    const read = await this.inner.readFile(path, MAX_MANIFEST_BYTES);
    return read.ok ? fixText(read.bytes) : null;
  }

  write(path: string, text: string): void {
    this.fixed.set(path, text);
  }
}
