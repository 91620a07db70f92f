/** Characters that show nothing, or reorder what is shown, and have no business in an instruction file. */
// Written as alternatives, not one class: a class holding joiners reads as a joined sequence.
const HIDDEN = /(?:[\u200B-\u200C]|\u200D|[\u200E-\u200F\u2060-\u2064\u206A-\u206F\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}])+/gu;
/** The same characters, to tell without a match object whether a text holds any: most hold none. */
const ANY_HIDDEN = new RegExp(HIDDEN.source, "u");
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}/u;
/** Scripts whose spelling needs the zero-width non-joiner and the direction marks. */
const JOINING_SCRIPTS = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}\p{Script=Kannada}\p{Script=Telugu}\p{Script=Tamil}\p{Script=Sinhala}]/u;

const NAMES: Record<number, string> = {
  0x200b: "ZERO WIDTH SPACE", 0x200c: "ZERO WIDTH NON-JOINER", 0x200d: "ZERO WIDTH JOINER", 0x200e: "LEFT-TO-RIGHT MARK", 0x200f: "RIGHT-TO-LEFT MARK",
  0x2060: "WORD JOINER", 0xfeff: "ZERO WIDTH NO-BREAK SPACE", 0x202a: "LEFT-TO-RIGHT EMBEDDING", 0x202b: "RIGHT-TO-LEFT EMBEDDING", 0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE", 0x202e: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
};

/** A run of hidden characters: its offsets (UTF-16) and its code points. */
export interface HiddenRun {
  start: number;
  end: number;
  codePoints: number[];
}

/**
 * The runs of hidden characters in a text, leaving out the joiners that emoji sequences and
 * Arabic or Indic spelling use.
 */
export function hiddenCharacters(text: string): HiddenRun[] {
  const out: HiddenRun[] = [];
  if (!ANY_HIDDEN.test(text)) return out;
  for (const match of text.matchAll(HIDDEN)) {
    const start = match.index;
    const end = start + match[0].length;
    const codePoints = [...match[0]].map((c) => c.codePointAt(0) as number);
    const before = text.slice(Math.max(0, start - 2), start);
    const after = text.slice(end, end + 2);
    const joinsEmoji = codePoints.every((c) => c === 0x200d || c === 0xfe0f) && PICTOGRAPH.test(before) && PICTOGRAPH.test(after);
    const joinsScript = codePoints.every((c) => c === 0x200c || c === 0x200d || c === 0x200e || c === 0x200f) && (JOINING_SCRIPTS.test(before) || JOINING_SCRIPTS.test(after));
    // A byte order mark at the very start is the file rule's business.
    const leadingBom = start === 0 && codePoints.length === 1 && codePoints[0] === 0xfeff;
    if (!joinsEmoji && !joinsScript && !leadingBom) out.push({ start, end, codePoints });
  }
  return out;
}

/** "2 invisible characters (U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE)". */
export function describeHidden(runs: readonly HiddenRun[]): string {
  const all = runs.flatMap((r) => r.codePoints);
  const kinds = [...new Set(all)].slice(0, 3).map((c) => `U+${c.toString(16).toUpperCase().padStart(4, "0")} ${NAMES[c] ?? (c >= 0xe0100 ? "VARIATION SELECTOR" : c >= 0xe0000 ? "TAG CHARACTER" : "INVISIBLE FORMAT CHARACTER")}`);
  const more = new Set(all).size > 3 ? ", …" : "";
  return `${all.length === 1 ? "an invisible character" : `${all.length} invisible characters`} (${kinds.join(", ")}${more})`;
}
