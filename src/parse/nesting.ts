import { CST, Lexer } from "yaml";

/**
 * The deepest nesting of arrays, objects, lists and mappings any file is parsed with. No real
 * manifest or frontmatter comes near it; far deeper, the recursive parsers (jsonc-parser, the
 * YAML composer) exhaust the stack, which can take the whole process down.
 */
export const MAX_NESTING = 512;

/**
 * Where a JSON text first opens more than `limit` nested arrays or objects, as an offset; -1
 * when it never does. Strings and comments are skipped as jsonc-parser's scanner reads them
 * (a string also ends at a line break), so the count is never below what the parser recurses.
 */
export function jsonNestingOverflow(text: string, limit = MAX_NESTING): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    } else if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x22 || s === 0x0a || s === 0x0d) break;
        if (s === 0x5c /* \ */ && i + 1 < n && text.charCodeAt(i + 1) !== 0x0a && text.charCodeAt(i + 1) !== 0x0d) i++;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 1;
    }
  }
  return -1;
}

/**
 * Where a YAML text first nests more than `limit` collections deep, as an offset; -1 when it
 * never does. Read from the lexer's tokens (which know a quoted `[` or a block scalar from a
 * flow collection) without building the tree, so an absurd depth costs no more than `limit`
 * tokens; the count errs high, never low.
 */
export function yamlNestingOverflow(text: string, limit = MAX_NESTING): number {
  if (yamlNestingBound(text) <= limit) return -1;
  /** Open block collections, by the column they stand at. */
  const block: { column: number; map: boolean }[] = [];
  /** Open flow collections; a flow sequence holding `a: b` pairs nests one more level. */
  const flow: { seq: boolean; pairs: boolean }[] = [];
  let flowDepth = 0;
  let offset = 0;
  let lineStart = 0;
  /** Where the node now being read starts, on this line: a mapping key stands there. */
  let nodeStart = -1;
  let scalarNext = false;
  const blockEvent = (map: boolean, column: number): void => {
    while (block.length > 0 && (block[block.length - 1] as { column: number }).column > column) block.pop();
    const top = block[block.length - 1];
    if (top && top.column === column) {
      if (top.map === map) return;
      // A list may stand at its mapping key's column (`key:` then `- item`); a key there ends the list.
      if (!map) {
        block.push({ column, map });
        return;
      }
      block.pop();
      const parent = block[block.length - 1];
      if (parent && parent.column === column && parent.map) return;
    }
    block.push({ column, map });
  };
  for (const token of new Lexer().lex(text)) {
    const type: string | null = scalarNext ? "scalar-source" : CST.tokenType(token);
    scalarNext = type === "scalar";
    const column = offset - lineStart;
    switch (type) {
      case "doc-mode":
      case "flow-error-end":
      case "scalar":
        continue; // markers that stand for no text
      case "doc-start":
        block.length = 0;
        flow.length = 0;
        flowDepth = 0;
        break;
      case "flow-seq-start":
      case "flow-map-start":
        if (nodeStart === -1) nodeStart = column;
        flow.push({ seq: type === "flow-seq-start", pairs: false });
        flowDepth++;
        break;
      case "flow-seq-end":
      case "flow-map-end": {
        const closed = flow.pop();
        if (closed) flowDepth -= closed.pairs ? 2 : 1;
        break;
      }
      case "seq-item-ind":
      case "explicit-key-ind":
        if (flow.length === 0) blockEvent(type === "explicit-key-ind", column);
        nodeStart = -1;
        break;
      case "map-value-ind":
        if (flow.length > 0) {
          const top = flow[flow.length - 1] as { seq: boolean; pairs: boolean };
          if (top.seq && !top.pairs) {
            top.pairs = true;
            flowDepth++;
          }
        } else {
          blockEvent(true, nodeStart === -1 ? column : nodeStart);
        }
        nodeStart = -1;
        break;
      case "space":
      case "newline":
      case "comment":
        break;
      default:
        if (nodeStart === -1) nodeStart = column;
    }
    if (block.length + flowDepth > limit) return offset;
    offset += token.length;
    const newline = token.lastIndexOf("\n");
    if (newline !== -1) {
      lineStart = offset - token.length + newline + 1;
      nodeStart = -1;
    }
  }
  return -1;
}

/**
 * A cheap upper bound on how deep a YAML text can nest, so that most texts need no lexing. Each
 * level needs one of `[ ] { } ? : -`; and block collections open on distinct columns (a list may
 * share its key's), so they are at most twice the longest line, plus two per bracket in flow.
 */
function yamlNestingBound(text: string): number {
  let indicators = 0;
  let brackets = 0;
  let longest = 0;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (i - lineStart > longest) longest = i - lineStart;
      lineStart = i + 1;
    } else if (c === 0x5b || c === 0x7b) {
      brackets++;
      indicators++;
    } else if (c === 0x3a || c === 0x2d || c === 0x3f || c === 0x5d || c === 0x7d) {
      indicators++;
    }
  }
  if (n - lineStart > longest) longest = n - lineStart;
  return Math.min(indicators, 2 * (longest + 1) + 2 * brackets);
}
