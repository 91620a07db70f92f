import type { JsonPath, ParsedJson } from "../../parse/json.js";
import type { Span } from "../../parse/position.js";

/**
 * Where part of a JSON string value stands: the characters from `start` to `end` of its decoded
 * text when the literal holds no escape (so each character is one column), else the whole value.
 */
export function spanInString(json: ParsedJson, path: JsonPath, value: string, start: number, end: number): Span {
  const whole = json.locate(path);
  const literalWidth = whole.endColumn - whole.column;
  if (whole.line !== whole.endLine || literalWidth !== value.length + 2) return whole;
  return { line: whole.line, column: whole.column + 1 + start, endLine: whole.line, endColumn: whole.column + 1 + end };
}
