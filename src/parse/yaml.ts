import { parseDocument, YAMLParseError, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from "yaml";
import { MAX_NESTING, yamlNestingOverflow } from "./nesting.js";

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * `parseDocument`, except that YAML nested deeper than MAX_NESTING is not composed at all: the
 * document comes back empty with one error at the place the limit is crossed, as any other
 * YAML error would, so every reader reports it the way it reports a syntax error.
 */
export function parseYaml(text: string, options: YamlOptions = {}): Document.Parsed {
  const overflow = yamlNestingOverflow(text);
  if (overflow === -1) return parseDocument(text, options);
  const document = parseDocument("", options);
  const { lineCounter } = options;
  if (lineCounter) {
    // The document was not parsed, so the line counter the caller reads positions from is filled here.
    lineCounter.lineStarts.length = 0;
    lineCounter.addNewLine(0);
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  }
  document.errors.push(new YAMLParseError([overflow, overflow + 1], "RESOURCE_EXHAUSTION", `Nested more than ${MAX_NESTING} levels deep`));
  return document;
}
