import { hiddenBytes, type HiddenBytes } from "../rules/_shared/hidden-bytes.js";
import { decodeFrontmatterText, decodeText, type DecodedText } from "./text.js";

/** How a file the scan reads is parsed, by its name: JSON, a script, or Markdown for its frontmatter. */
export type FileFormat = "json" | "script" | "markdown";

/** A file's bytes as its parser takes them: decoded, with what is wrong in them, and its size. */
export interface DecodedFile {
  format: FileFormat;
  decoded: DecodedText;
  /** The hidden characters of a Markdown file that decoded, found in all of its bytes; none for other files. */
  hidden: HiddenBytes[];
  size: number;
}

export function formatOf(path: string): FileFormat {
  return path.endsWith(".json") ? "json" : /\.(c|m)?(j|t)sx?$/.test(path) ? "script" : "markdown";
}

/**
 * Decodes a file for its parser. Markdown is read for its frontmatter alone: the text after it
 * is checked but not decoded, and hidden characters are found in the bytes, after the
 * frontmatter too. Plain data, so the thread that read the file can decode it too.
 */
export function decodeFile(path: string, bytes: Uint8Array): DecodedFile {
  const format = formatOf(path);
  const decoded = format === "markdown" ? decodeFrontmatterText(bytes) : decodeText(bytes);
  const hidden = format === "markdown" && decoded.text !== null ? hiddenBytes(bytes) : [];
  return { format, decoded, hidden, size: bytes.length };
}
