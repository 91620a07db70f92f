/** The commands a comment can hold, read the way a person reads rendered Markdown. */

export type CommandVerb = "skip" | "unskip" | "skips";

export interface Command {
  verb: CommandVerb;
  /** The key or path as written, without quotes or backticks; null when it is missing. */
  target: string | null;
  /** For `/skip`: the rest of the line. */
  reason: string | null;
  /** The line as written, for the answer. */
  line: string;
}

/** More than this in one comment is a paste accident, not a request. */
export const MAX_COMMANDS = 50;

const COMMAND_LINE = /^ {0,3}\/(skip|unskip|skips)(?=\s|$)(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLOCK_QUOTE = /^ {0,3}>/;
const INDENTED_CODE = /^( {4}|\t)/;

/**
 * Finds `/skip`, `/unskip` and `/skips` at the start of lines, leaving out lines that render as
 * code (fenced or indented), quotes or HTML comments, so quoting someone's command never repeats it.
 */
export function parseCommands(body: string): Command[] {
  const commands: Command[] = [];
  let fence: string | null = null;
  for (const line of withoutHtmlComments(body.replace(/\r\n?/g, "\n")).split("\n")) {
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      const marker = fenceMatch?.[1];
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      continue;
    }
    if (BLOCK_QUOTE.test(line) || INDENTED_CODE.test(line)) continue;
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    commands.push(toCommand((match[1] as string).toLowerCase() as CommandVerb, (match[2] as string).trim(), line.trim()));
    if (commands.length === MAX_COMMANDS) break;
  }
  return commands;
}

/** Blanks out `<!-- ... -->` but keeps its line breaks, so the lines around it stay apart. */
function withoutHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ""));
}

function toCommand(verb: CommandVerb, args: string, line: string): Command {
  if (verb === "skips") return { verb, target: null, reason: null, line };
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
