import { scan, type ScanOptions } from "../pipeline/pipeline.js";
import type { Report } from "../model.js";
import type { Logger } from "../telemetry/log.js";
import { selectSource, type SelectedSource, type SelectSourceOptions, type SourceLog } from "./select.js";

/** No source could be opened: the message says why, for the caller to show as it shows errors. */
export class SourceOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SourceOpenError";
  }
}

export interface ScanFromSourceOptions extends Omit<ScanOptions, "root" | "source" | "external"> {
  /** Where the files come from: the strategy, the folder that may hold them, the repository and its ref. */
  select: SelectSourceOptions;
  /** Also fetch the plugins marketplaces list from other repositories, with the same token and servers. */
  external?: boolean;
  /** The folder scanned when neither the source nor `select.root` names one. */
  fallbackRoot: string;
}

/** Chooses and opens the source, scans it, and removes whatever it fetched, whether the scan succeeds or not. */
export async function scanFromSource(options: ScanFromSourceOptions): Promise<{ report: Report; selected: SelectedSource }> {
  const { select, external, fallbackRoot, ...scanOptions } = options;
  let selected: SelectedSource;
  try {
    selected = await selectSource(select);
  } catch (error) {
    throw new SourceOpenError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  // External plugins are reached the way the repository is, but each picks clone or API for itself.
  const { strategy: _strategy, root: _root, repo: _repo, ref: _ref, subdir: _subdir, cloneUrl: _cloneUrl, git: _git, ...remote } = select;
  try {
    const report = await scan({
      ...scanOptions,
      root: selected.source.localRoot ?? select.root ?? fallbackRoot,
      source: selected.source,
      ...(external ? { external: { ...remote, git: selected.git } } : {}),
    });
    return { report, selected };
  } finally {
    await selected.source.dispose?.();
  }
}

/** The sources log with GitHub's level names; the structured logger with its own. */
export function sourceLog(logger: Logger): SourceLog {
  return (level, message, fields) => logger[level === "warning" ? "warn" : level](message, fields);
}
