import type { Logger } from "../telemetry/log.js";
import type { ExternalPlugins } from "./external.js";
import { selectSource, type SelectedSource, type SelectSourceOptions, type SourceLog } from "./select.js";

/** No source could be opened: the message says why, for the caller to show as it shows errors. */
export class SourceOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SourceOpenError";
  }
}

/** A source chosen and opened, with the external plugins mounted in it when asked for. */
export interface OpenedSource {
  selected: SelectedSource;
  /** What to scan: the selected source, or one with the external plugins mounted in it; dispose it when done. */
  external: ExternalPlugins;
}

/**
 * Chooses and opens the source, then, with `external`, fetches the plugins its marketplaces list
 * from other repositories the way the repository is reached (each picks clone or API for itself).
 */
export async function openSource(select: SelectSourceOptions, external: boolean): Promise<OpenedSource> {
  let selected: SelectedSource;
  try {
    selected = await selectSource(select);
  } catch (error) {
    throw new SourceOpenError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (!external) return { selected, external: { source: selected.source, mounted: [], failures: [] } };
  const { strategy: _strategy, root: _root, repo: _repo, ref: _ref, subdir: _subdir, cloneUrl: _cloneUrl, git: _git, ...remote } = select;
  try {
    // Fetching other repositories loads the remote sources: only a scan that asks for it pays for them.
    const { withExternalPlugins } = await import("./external.js");
    return { selected, external: await withExternalPlugins(selected.source, { ...remote, git: selected.git }) };
  } catch (error) {
    await selected.source.dispose?.();
    throw error;
  }
}

/** The sources log with GitHub's level names; the structured logger with its own. */
export function sourceLog(logger: Logger): SourceLog {
  return (level, message, fields) => logger[level === "warning" ? "warn" : level](message, fields);
}
