import type { Report } from "../model.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

export const FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export const RENDERERS: Record<Format, (report: Report) => string> = {
  text: renderText,
  json: renderJson,
  markdown: renderMarkdown,
  sarif: renderSarif,
};
