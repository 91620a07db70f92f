import type { Report } from "../model.js";

/**
 * The report of a scan of a sub-folder with every path from the repository root, as GitHub links
 * annotations and files: `prefix` is the folder, relative to the root with `/`; "" is the root.
 */
export function relativeToRepository(report: Report, prefix: string): Report {
  if (!prefix) return report;
  const at = (path: string): string => (path ? `${prefix}/${path}` : prefix);
  return {
    ...report,
    artifacts: report.artifacts.map((a) => ({
      ...a,
      path: at(a.path),
      files: a.files.map(at),
      findings: a.findings.map((f) => ({ ...f, file: at(f.file) })),
    })),
  };
}
