import type { Load } from "../rules/types.js";
import { parseJson } from "../parse/json.js";
import { parseMarkdown, type ParsedMarkdown } from "../parse/markdown.js";
import { parseScript } from "../parse/script.js";
import { hiddenInMarkdown } from "../rules/_shared/hidden-bytes.js";
import { decodeRead, type FileSource } from "../source/types.js";

/** The cap on any file parsed as a manifest or for frontmatter. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface ReadStats {
  filesRead: number;
  bytesRead: number;
}

/**
 * Reads and parses each file the scan needs once, whichever stage asks first, and keeps what it
 * parsed for the rules. The source can change once, when external plugins are mounted.
 */
export class ManifestReader {
  readonly stats: ReadStats = { filesRead: 0, bytesRead: 0 };
  private readonly loads = new Map<string, Load>();
  private readonly pending = new Map<string, Promise<Load>>();
  /**
   * Frontmatter already parsed, by its text: copies of one file (backups, a plugin vendored twice)
   * parse once. What a reader makes of a block depends on its text alone, positions included.
   */
  private readonly markdown = new Map<string, ParsedMarkdown>();

  constructor(public source: FileSource) {}

  /** A file read and parsed once, however many stages ask for it, and at the same time. */
  load(path: string): Promise<Load> {
    const done = this.loads.get(path);
    if (done) return Promise.resolve(done);
    let reading = this.pending.get(path);
    if (!reading) {
      reading = readAndParse(this.source, path, this.stats, this.markdown).then((result) => {
        this.loads.set(path, result);
        this.pending.delete(path);
        return result;
      });
      this.pending.set(path, reading);
    }
    return reading;
  }

  /** The files the scan will load next, in order: a source that reads ahead starts on those not loaded yet. */
  readAhead(paths: readonly string[]): void {
    if (!this.source.readAhead) return;
    this.source.readAhead(
      paths.filter((path) => !this.loads.has(path) && !this.pending.has(path)),
      MAX_MANIFEST_BYTES,
    );
  }

  /** What a file parsed into, if the scan read it. */
  parsed(path: string): (Load & { kind: "text" })["parsed"] {
    const loaded = this.loads.get(path);
    return loaded?.kind === "text" ? loaded.parsed : null;
  }
}

async function readAndParse(source: FileSource, path: string, stats: ReadStats, parsedMarkdown: Map<string, ParsedMarkdown>): Promise<Load> {
  const read = (await source.readDecoded?.(path, MAX_MANIFEST_BYTES)) ?? decodeRead(path, await source.readFile(path, MAX_MANIFEST_BYTES));
  if (!read.ok) {
    return read.code === "too_large" ? { kind: "too_large", size: read.size, limit: MAX_MANIFEST_BYTES } : { kind: "io_error", message: read.message };
  }
  const { format, decoded, hidden, size } = read.file;
  stats.filesRead++;
  stats.bytesRead += size;
  if (decoded.text === null) return { kind: "text", problems: decoded.problems, parsed: null };
  if (format !== "markdown") return { kind: "text", problems: decoded.problems, parsed: format === "json" ? parseJson(decoded.text) : parseScript(decoded.text) };
  // A copy shares the parse of its frontmatter only when its own bytes hold no hidden characters,
  // which are recorded on the parse.
  let parsed = hidden.length === 0 ? parsedMarkdown.get(decoded.text) : undefined;
  if (!parsed) {
    parsed = parseMarkdown(decoded.text);
    if (hidden.length === 0) parsedMarkdown.set(decoded.text, parsed);
    else hiddenInMarkdown.set(parsed, hidden);
  }
  // The frontmatter views parse on first use; use them here so that parsing time counts as such.
  void parsed.claude;
  if (/(^|\/)(SKILL|skill)\.md$/.test(path)) void parsed.spec;
  return { kind: "text", problems: decoded.problems, parsed };
}
