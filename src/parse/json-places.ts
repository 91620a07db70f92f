/** Where a value stands in a JSON text, as offsets, with its key when it is an object's property. */
export interface JsonPlace {
  start: number;
  end: number;
  key: { start: number; end: number } | null;
}

interface Child {
  /** The property's key, decoded; null for an array's element. */
  name: string | null;
  keyStart: number;
  keyEnd: number;
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The places of the values of a text that JSON.parse accepts, found by following a path: each
 * object or array on the way is read once, its children's extents kept, and every value beside
 * the path is skipped without being built. The same places jsonc-parser's tree gives (its first
 * property of a repeated key), at a small part of the cost of building that tree for a whole file.
 */
export class JsonPlaces {
  private readonly containers = new Map<number, Child[]>();
  private readonly root: JsonPlace;

  constructor(private readonly text: string) {
    const start = this.skipSpace(0);
    this.root = { start, end: this.skipValue(start), key: null };
  }

  /** The value at a path, or undefined when the path leads nowhere. */
  find(path: readonly (string | number)[]): JsonPlace | undefined {
    let place = this.root;
    for (const segment of path) {
      const open = this.text.charCodeAt(place.start);
      let child: Child | undefined;
      if (typeof segment === "string") {
        if (open !== OPEN_BRACE) return undefined;
        child = this.children(place.start).find((c) => c.name === segment);
      } else {
        if (open !== OPEN_BRACKET || segment < 0) return undefined;
        child = this.children(place.start)[segment];
      }
      if (!child) return undefined;
      place = { start: child.start, end: child.end, key: child.name === null ? null : { start: child.keyStart, end: child.keyEnd } };
    }
    return place;
  }

  private children(start: number): Child[] {
    const known = this.containers.get(start);
    if (known) return known;
    const text = this.text;
    const inObject = text.charCodeAt(start) === OPEN_BRACE;
    const out: Child[] = [];
    let pos = this.skipSpace(start + 1);
    const close = inObject ? CLOSE_BRACE : CLOSE_BRACKET;
    while (pos < text.length && text.charCodeAt(pos) !== close) {
      let name: string | null = null;
      let keyStart = pos;
      let keyEnd = pos;
      if (inObject) {
        keyStart = pos;
        keyEnd = this.skipString(pos);
        const literal = text.slice(keyStart, keyEnd);
        name = literal.includes("\\") ? (JSON.parse(literal) as string) : literal.slice(1, -1);
        // The colon, between spaces.
        pos = this.skipSpace(this.skipSpace(keyEnd) + 1);
      }
      const end = this.skipValue(pos);
      out.push({ name, keyStart, keyEnd, start: pos, end });
      pos = this.skipSpace(end);
      if (text.charCodeAt(pos) === COMMA) pos = this.skipSpace(pos + 1);
    }
    this.containers.set(start, out);
    return out;
  }

  private skipSpace(pos: number): number {
    const text = this.text;
    while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
    return pos;
  }

  /** The offset after a string literal that starts at `pos`. */
  private skipString(pos: number): number {
    const text = this.text;
    for (let from = pos + 1; ; ) {
      const quote = text.indexOf('"', from);
      if (quote === -1) return text.length;
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /** The offset after the value that starts at `pos`. */
  private skipValue(pos: number): number {
    const text = this.text;
    const first = text.charCodeAt(pos);
    if (first === QUOTE) return this.skipString(pos);
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let depth = 0;
      for (let i = pos; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) i = this.skipString(i) - 1;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
      }
      return text.length;
    }
    // A number, true, false or null runs to the next separator.
    let i = pos;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
      i++;
    }
    return i;
  }
}
