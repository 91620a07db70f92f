/** The commands a comment can hold, read the way a person reads rendered Markdown. */

export type CommandVerb = "skip" | "unskip" | "skips" | "fix" | "allow";

export interface Command {
  verb: CommandVerb;
  /** The key or path as written, without quotes or backticks; null when it is missing. */
  target: string | null;
  /** For `/skip`: the rest of the line; for `/skilldex allow`: the capability. */
  reason: string | null;
  /** The line as written, for the answer. */
  line: string;
}

/** More than this in one comment is a paste accident, not a request. */
export const MAX_COMMANDS = 50;

const COMMAND_LINE = /^ {0,3}\/(skip|unskip|skips|skilldex[ \t]+(?:fix|allow))(?=\s|$)(.*)$/i;
/** What every command line holds, for a look at a delivery before it is parsed. */
const COMMAND_WORD = /\/(skip|unskip|skilldex)/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BLOCK_QUOTE = /^ {0,3}>/;
const INDENTED_CODE = /^( {4}|\t)/;
/** A list item's marker and the spaces after it: `- `, `1. `, `10) `. */
const LIST_MARKER = /^( {0,3})([-+*]|\d{1,9}[.)])( {1,4}(?! )|$)/;
/** The HTML blocks whose content Markdown leaves alone up to their end tag, `<pre>` among them. */
const RAW_HTML = /^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)/i;
/**
 * Characters that end a line in some editors but not in Markdown: GitHub shows the text around
 * them on one line, so they are read as spaces, never as a reason to drop the line.
 */
const ODD_SEPARATORS = /[\u2028\u2029\u0085\v\f]/g;

/** Whether a comment may hold a command: a cheap test made before the comment is parsed. */
export function mayHoldCommand(body: string): boolean {
  return COMMAND_WORD.test(body);
}

export interface ParsedComment {
  /** The first MAX_COMMANDS commands. */
  commands: Command[];
  /** Commands past the limit, which do not run; the answer says how many. */
  notRun: number;
}

/**
 * Finds `/skip`, `/unskip` and `/skips` at the start of lines, leaving out lines that render as
 * code (fenced, also when the fence opens a list item, or indented), `<pre>` and other raw HTML
 * blocks, quotes and HTML comments, so quoting someone's command never repeats it.
 */
export function parseComment(body: string): ParsedComment {
  const commands: Command[] = [];
  let notRun = 0;
  /** The open fence: its marker, and the indentation its list item's content starts at. */
  let fence: { marker: string; indent: number } | null = null;
  let html: string | null = null;
  const text = withoutHtmlComments(body.replace(/\r\n?/g, "\n").replace(ODD_SEPARATORS, " "));
  for (const line of text.split("\n")) {
    if (html !== null) {
      if (line.toLowerCase().includes(`</${html}>`)) html = null;
      continue;
    }
    if (fence !== null) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      // A line indented less than the list item's content ends the item, and the fence with it.
      if (fence.indent > 0 && line.trim() !== "" && indent < fence.indent) fence = null;
      else {
        const closing = FENCE.exec(line.slice(Math.min(indent, fence.indent)));
        const marker = closing?.[1];
        if (marker && marker[0] === fence.marker[0] && marker.length >= fence.marker.length && (closing?.[2] ?? "").trim() === "") fence = null;
        continue;
      }
    }
    const item = listItem(line);
    const content = item ? item.content : line;
    const fenceMatch = FENCE.exec(content);
    if (fenceMatch && !(fenceMatch[1]?.startsWith("`") && fenceMatch[2]?.includes("`"))) {
      fence = { marker: fenceMatch[1] as string, indent: item ? item.indent : 0 };
      continue;
    }
    const raw = RAW_HTML.exec(content);
    if (raw) {
      const tag = (raw[1] as string).toLowerCase();
      if (!content.toLowerCase().includes(`</${tag}>`)) html = tag;
      continue;
    }
    if (item || BLOCK_QUOTE.test(line) || INDENTED_CODE.test(line)) continue;
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    if (commands.length === MAX_COMMANDS) {
      notRun++;
      continue;
    }
    commands.push(toCommand((match[1] as string).toLowerCase().replace(/^skilldex\s+/, "") as CommandVerb, (match[2] as string).trim(), line.trim()));
  }
  return { commands, notRun };
}

/** The commands of a comment that run. */
export function parseCommands(body: string): Command[] {
  return parseComment(body).commands;
}

/** A line that opens a list item (nested ones too): what follows the markers, and where it starts. */
function listItem(line: string): { content: string; indent: number } | null {
  let rest = line;
  let indent = 0;
  let found = false;
  for (let match = LIST_MARKER.exec(rest); match; match = LIST_MARKER.exec(rest)) {
    found = true;
    indent += match[0].length;
    rest = rest.slice(match[0].length);
  }
  return found ? { content: rest, indent } : null;
}

/** Blanks out `<!-- ... -->` but keeps its line breaks, so the lines around it stay apart. */
function withoutHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ""));
}

function toCommand(verb: CommandVerb, args: string, line: string): Command {
  if (verb === "skips" || verb === "fix") return { verb, target: null, reason: null, line };
  if (verb === "unskip") {
    // `/unskip` takes nothing else, so a path with spaces needs no quotes.
    return { verb, target: unquote(args) || null, reason: null, line };
  }
  const { target, rest } = firstArgument(args);
  return { verb, target: target || null, reason: rest || null, line };
}

function firstArgument(args: string): { target: string; rest: string } {
  const quoted = /^(["'`])(.*?)\1(?:\s+|$)/.exec(args);
  if (quoted) return { target: (quoted[2] as string).trim(), rest: args.slice(quoted[0].length).trim() };
  const space = args.search(/\s/);
  if (space === -1) return { target: args, rest: "" };
  return { target: args.slice(0, space), rest: args.slice(space).trim() };
}

function unquote(text: string): string {
  const quoted = /^(["'`])(.*)\1$/.exec(text);
  return (quoted ? (quoted[2] as string) : text).trim();
}
