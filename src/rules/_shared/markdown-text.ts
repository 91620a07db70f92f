import type { ParsedMarkdown } from "../../parse/markdown.js";
import { LineIndex } from "../../parse/position.js";

/**
 * The whole text of a Markdown file and its line index, when the parsed file carries its text;
 * null otherwise, and rules about the body then read the frontmatter alone.
 */
export function markdownText(markdown: ParsedMarkdown): { text: string; index: LineIndex } | null {
  const text = (markdown as ParsedMarkdown & { text?: unknown }).text;
  return typeof text === "string" ? { text, index: new LineIndex(text) } : null;
}
