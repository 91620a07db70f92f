import type { Report } from "../model.js";

/** The `skilldex/report@1` document, as the CLI's `--format json` and the Action's report-path write it. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
