import type { Report } from "../model.js";
import type { MarkdownOptions } from "./markdown.js";
import type { TextOptions } from "./text.js";

export const FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** What a renderer may be asked for; each takes the options that mean something for it. */
export type RenderOptions = TextOptions & MarkdownOptions;

type Renderer = (report: Report, options?: RenderOptions) => string;

/**
 * Each format's renderer, loaded when it is asked for: a run renders one format, and the others
 * (SARIF's fix proposals most of all) would only add to its start-up.
 */
export const RENDERERS: Record<Format, () => Promise<Renderer>> = {
  text: async () => (await import("./text.js")).renderText,
  json: async () => {
    const { renderJson } = await import("./json.js");
    return (report) => renderJson(report);
  },
  markdown: async () => (await import("./markdown.js")).renderMarkdown,
  sarif: async () => {
    const [{ renderSarif, SARIF_LIMITS }, { reportTexts }] = await Promise.all([import("./sarif.js"), import("../fix/proposals.js")]);
    // The file texts a SARIF fix needs are read here, so the renderer itself stays a function of its input.
    return (report) => renderSarif(report, SARIF_LIMITS, reportTexts(report));
  },
};

/** The format a file name implies (`report.sarif`, `out.md`), or null: `--output` picks the format when `--format` does not. */
export function formatOfFile(path: string): Format | null {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === "json") return "json";
  if (extension === "sarif") return "sarif";
  if (extension === "md" || extension === "markdown") return "markdown";
  if (extension === "txt") return "text";
  return null;
}
