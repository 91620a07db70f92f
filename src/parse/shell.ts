/**
 * The words of a command line as a shell would split them, quotes removed, each marked when its
 * value depends on the run. Hook commands and MCP servers are read through it by the rules and by
 * the capabilities alike.
 */

/** One word of a command, unquoted, with the index of the text it came from (0 for a shell string). */
export interface CommandWord {
  text: string;
  /** Its value depends on the run: a variable other than a leading placeholder, a glob, a substitution. */
  generated: boolean;
  /** For exec form (`command` plus `args`): 0 is the command, i + 1 is `args[i]`. */
  source: number;
}

export const PLACEHOLDER = /^\$(?:\{(CLAUDE_PLUGIN_ROOT|CLAUDE_PROJECT_DIR)\}|(CLAUDE_PLUGIN_ROOT|CLAUDE_PROJECT_DIR)(?![A-Za-z0-9_]))/;

/**
 * The simple commands of a shell string, split on `;`, `&&`, `||`, `|`, `&` and new lines, each
 * as its words (quotes removed). Redirection targets and `$(...)` substitutions are dropped.
 */
export function shellCommands(text: string): CommandWord[][] {
  const commands: CommandWord[][] = [];
  let words: CommandWord[] = [];
  let word = "";
  let inWord = false;
  let generated = false;
  let redirect = false;
  const endWord = (): void => {
    if (inWord && !redirect) words.push({ text: word, generated: generated || isGenerated(word), source: 0 });
    if (inWord) redirect = false;
    word = "";
    inWord = false;
    generated = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  /** The index just past the `)` that closes a `$(` opened before `from`. */
  const skipSubstitution = (from: number): number => {
    let depth = 1;
    let i = from;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
    }
    return i;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      if (text[i + 1] === "\n") {
        i++;
        continue;
      }
      word += text[i + 1] ?? "";
      inWord = true;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end === -1 ? text.length : end;
      word += text.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        const d = text[i] as string;
        if (d === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) {
          word += text[++i];
        } else if (d === "$" && text[i + 1] === "(") {
          generated = true;
          i = skipSubstitution(i + 2) - 1;
        } else if (d === "`") {
          generated = true;
          const end = text.indexOf("`", i + 1);
          i = end === -1 ? text.length : end;
        } else word += d;
      }
    } else if (c === "$" && text[i + 1] === "(") {
      generated = true;
      inWord = true;
      i = skipSubstitution(i + 2) - 1;
    } else if (c === "`") {
      generated = true;
      inWord = true;
      const end = text.indexOf("`", i + 1);
      i = end === -1 ? text.length : end;
    } else if (c === "#" && !inWord) {
      const end = text.indexOf("\n", i);
      i = (end === -1 ? text.length : end) - 1;
    } else if (c === ">" || c === "<") {
      // `2>` is a descriptor, not a word; the word after the operator is where output goes.
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      }
      endWord();
      while (text[i + 1] === ">" || text[i + 1] === "&" || text[i + 1] === "<") i++;
      redirect = true;
    } else if (c === ";" || c === "&" || c === "|" || c === "\n" || c === "(" || c === ")") {
      endCommand();
      redirect = false;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** The words of exec form, a program and its argument list, run without a shell. */
export function execWords(command: string, args: readonly unknown[]): CommandWord[] {
  const words = [{ text: command, generated: isGenerated(command), source: 0 }];
  args.forEach((arg, i) => {
    if (typeof arg === "string") words.push({ text: arg, generated: isGenerated(arg), source: i + 1 });
  });
  return words;
}

export function isGenerated(text: string): boolean {
  const rest = text.replace(PLACEHOLDER, "");
  return /[$*?[\]{}`]/.test(rest) || rest.startsWith("~");
}
