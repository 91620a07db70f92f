/**
 * JavaScript source with its comments blanked (strings and template literals kept as they are),
 * in one linear pass, so patterns looking for exports never match a commented-out line and never
 * backtrack over a hostile file.
 */
export function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i] as string;
    if (quote) {
      out += c;
      if (c === "\\" && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      if (c === '"' || c === "'" || c === "`") quote = c;
      out += c;
      i++;
    }
  }
  return out;
}

/** Whether a module exports `name`: as a function, a binding, or in an `export { … }` list. */
export function exportsName(source: string, name: string): boolean {
  const code = withoutComments(source);
  if (new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\s*\\*?\\s*${name}\\b|(?:const|let|var)\\s+${name}\\b)`).test(code)) return true;
  // `export { a, register as b }` lists: each list is read up to its closing brace, once.
  for (let at = code.indexOf("export"); at !== -1; at = code.indexOf("export", at + 6)) {
    const open = /^export\s*\{/.exec(code.slice(at, at + 64));
    if (!open) continue;
    const close = code.indexOf("}", at);
    if (close === -1) break;
    const names = code.slice(at + open[0].length, close).split(",").map((part) => part.trim().split(/\s+as\s+/).pop()?.trim());
    if (names.includes(name)) return true;
    at = close;
  }
  return false;
}
