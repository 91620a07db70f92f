import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { JsonPlaces, type JsonPlace } from "./json-places.js";
import { MAX_NESTING, jsonNestingOverflow } from "./nesting.js";
import { FILE_START, LineIndex, type Span } from "./position.js";

export type JsonPath = (string | number)[];

/** `syntax`: not JSON at all; `too-deep`: nested deeper than MAX_NESTING, so not parsed. */
export type JsonProblemKind = "syntax" | "too-deep";

export interface JsonProblem {
  kind: JsonProblemKind;
  message: string;
  span: Span;
}

/** A JSON file parsed strictly (as `JSON.parse` would accept it), keeping every node's position. */
export interface ParsedJson {
  format: "json";
  /** The parsed value, or undefined when the text is not valid JSON. */
  value: unknown;
  problems: JsonProblem[];
  /** Where the value (or the property key) at a path stands; the nearest existing parent when absent. */
  locate(path: JsonPath, part?: "key" | "value"): Span;
  has(path: JsonPath): boolean;
}

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a malformed number",
  PropertyNameExpected: "a property name in double quotes was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "a `:` was expected",
  CommaExpected: "a `,` was expected",
  CloseBraceExpected: "a closing `}` was expected",
  CloseBracketExpected: "a closing `]` was expected",
  EndOfFileExpected: "the text goes on after the end of the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "an unclosed comment",
  UnexpectedEndOfString: "an unclosed string",
  UnexpectedEndOfNumber: "a number cut short",
  InvalidUnicode: "an invalid unicode escape",
  InvalidEscapeCharacter: "an invalid escape character",
  InvalidCharacter: "an invalid character in a string",
};

function describeParseError(text: string, error: ParseError): string {
  const code = printParseErrorCode(error.error);
  if (code === "PropertyNameExpected" || code === "ValueExpected") {
    // The most common JSON mistake deserves its own words.
    const before = text.slice(0, error.offset).trimEnd();
    const closer = text[error.offset];
    if (before.endsWith(",") && (closer === "}" || closer === "]")) return `a trailing comma before \`${closer}\` (JSON allows none)`;
  }
  return ERROR_TEXT[code] ?? code;
}

export function parseJson(text: string): ParsedJson {
  // jsonc-parser recurses once per level: far too deep, it would exhaust the stack.
  const overflow = jsonNestingOverflow(text);
  if (overflow !== -1) {
    const problems: JsonProblem[] = [{ kind: "too-deep", message: `The file is nested more than ${MAX_NESTING} levels deep; skilldex does not parse it.`, span: new LineIndex(text).span(overflow, overflow + 1) }];
    return { format: "json", value: undefined, problems, locate: () => problems[0]?.span ?? FILE_START, has: () => false };
  }
  // Valid JSON (nearly every manifest) is read by JSON.parse, far cheaper than a tree with
  // positions; the tree is built only when a position is asked for.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = NOT_JSON;
  }
  if (value !== NOT_JSON) {
    let places: JsonPlaces | undefined;
    return located(text, withoutPrototypes(value), (path) => (places ??= new JsonPlaces(text)).find(path));
  }
  const index = new LineIndex(text);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0 && tree) {
    // The tolerant scanner lets a few things through (a lone surrogate, say) that JSON.parse refuses.
    try {
      JSON.parse(text);
    } catch (error) {
      const problems: JsonProblem[] = [{ kind: "syntax", message: `The file is not valid JSON: ${(error as Error).message}.`, span: FILE_START }];
      return { format: "json", value: undefined, problems, locate: () => FILE_START, has: () => false };
    }
  }
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const problems: JsonProblem[] = first
      ? [{ kind: "syntax", message: `The file is not valid JSON: ${describeParseError(text, first)}.`, span: index.span(first.offset, first.offset + first.length) }]
      : [{ kind: "syntax", message: "The file is not valid JSON.", span: FILE_START }];
    return { format: "json", value: undefined, problems, locate: () => problems[0]?.span ?? FILE_START, has: () => false };
  }
  return located(text, getNodeValue(tree), (path) => placeOf(findNodeAtLocation(tree, path)));
}

/** A node of jsonc-parser's tree as the place it stands. */
function placeOf(node: Node | undefined): JsonPlace | undefined {
  if (!node) return undefined;
  const key = node.parent?.type === "property" ? node.parent.children?.[0] : undefined;
  return { start: node.offset, end: node.offset + node.length, key: key ? { start: key.offset, end: key.offset + key.length } : null };
}

const NOT_JSON = Symbol("not JSON");

/** JSON.parse's value with objects made as the tree's are, without a prototype (so `__proto__` is a key like any other). */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== "object") return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = withoutPrototypes((value as Record<string, unknown>)[key]);
  return out;
}

/** A valid JSON file whose positions are found on first use. */
function located(text: string, value: unknown, find: (path: JsonPath) => JsonPlace | undefined): ParsedJson {
  let index: LineIndex | undefined;
  const span = (start: number, end: number): Span => (index ??= new LineIndex(text)).span(start, end);
  return {
    format: "json",
    value,
    problems: [],
    has: (path) => find(path) !== undefined,
    locate(path, part = "value") {
      for (let depth = path.length; depth >= 0; depth--) {
        const place = find(path.slice(0, depth));
        if (!place) continue;
        if (depth < path.length || part === "key") {
          // The key of the value, or where the path stops short: the key of the deepest value
          // that exists, or the opening brace of the whole document.
          return place.key ? span(place.key.start, place.key.end) : span(place.start, place.start + 1);
        }
        return span(place.start, place.end);
      }
      return FILE_START;
    },
  };
}
