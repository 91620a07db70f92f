import type { Report } from "../model.js";
import { renderJson } from "./json.js";
import { renderMarkdown, type MarkdownOptions } from "./markdown.js";
import { reportTexts } from "../fix/proposals.js";
import { renderSarif, SARIF_LIMITS } from "./sarif.js";
import { renderText, type TextOptions } from "./text.js";

export const FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** What a renderer may be asked for; each takes the options that mean something for it. */
export type RenderOptions = TextOptions & MarkdownOptions;

export const RENDERERS: Record<Format, (report: Report, options?: RenderOptions) => string> = {
  text: renderText,
  json: (report) => renderJson(report),
  markdown: renderMarkdown,
  // The file texts a SARIF fix needs are read here, so the renderer itself stays a function of its input.
  sarif: (report) => renderSarif(report, SARIF_LIMITS, reportTexts(report)),
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
