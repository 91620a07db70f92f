import type { Report } from "../model.js";
import { openSource } from "../source/open.js";
import type { SelectedSource, SelectSourceOptions } from "../source/select.js";
import { scan, type ScanOptions } from "./pipeline.js";

export interface ScanFromSourceOptions extends Omit<ScanOptions, "root" | "source" | "external"> {
  /** Where the files come from: the strategy, the folder that may hold them, the repository and its ref. */
  select: SelectSourceOptions;
  /** Also fetch the plugins marketplaces list from other repositories, with the same token and servers. */
  external?: boolean;
  /** The folder scanned when neither the source nor `select.root` names one. */
  fallbackRoot: string;
}

/** Opens the source (external plugins mounted when asked for), scans it, and removes whatever it fetched, whether the scan succeeds or not. */
export async function scanFromSource(options: ScanFromSourceOptions): Promise<{ report: Report; selected: SelectedSource }> {
  const { select, external, fallbackRoot, ...scanOptions } = options;
  const opened = await openSource(select, external === true);
  const { source } = opened.external;
  try {
    const report = await scan({ ...scanOptions, root: source.localRoot ?? select.root ?? fallbackRoot, source, external: opened.external });
    return { report, selected: opened.selected };
  } finally {
    await source.dispose?.();
  }
}
