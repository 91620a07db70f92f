/**
 * Cutting Markdown to a size limit: the check run, the job summary and any other destination with
 * a limit pass their sections and their own limit here.
 */

/** A block of Markdown whose items may be left out, whole and from the end, when space runs short. */
export interface Section {
  /** Always kept: a heading, a paragraph, a table's header. */
  head: string;
  /** Table rows or list entries, one string each (an entry may span lines). */
  items?: string[];
  /** What the items are, for the note of what was left out: "failed artifacts". */
  noun?: string;
}

/** A Markdown table as a section whose rows may be cut. */
export function tableSection(heading: string, table: string, noun: string): Section {
  const [header = "", rule = "", ...rows] = table.split("\n");
  return { head: `${heading}\n\n${header}\n${rule}`, items: rows, noun };
}

const NOTE_ROOM = 300;

/**
 * Joins sections into at most `limit` UTF-8 bytes (never fewer characters than bytes, so safe
 * for either count). When they do not fit, every section keeps its head and gives up items from
 * its end, the longest lists first, and says how many it left out and `where` they can be read.
 */
export function fitSections(sections: readonly Section[], limit: number, where: string): string {
  const render = (kept: string[][], notes: string[]): string =>
    sections
      .map((s, i) => {
        const items = kept[i] ?? [];
        const body = items.length > 0 ? `${s.head}\n${items.join("\n")}` : s.head;
        return notes[i] ? `${body}\n\n${notes[i]}` : body;
      })
      .join("\n\n");
  const all = sections.map((s) => s.items ?? []);
  const whole = render(all, []);
  if (bytes(whole) <= limit) return whole;

  const sizes = all.map((items) => items.map((item) => bytes(item) + 1));
  const totals = sizes.map((s) => s.reduce((a, b) => a + b, 0));
  const fixed = bytes(render([], [])) + NOTE_ROOM * sections.length;
  const room = Math.max(0, limit - fixed);
  // The largest share every section may take so that all of them fit: the longest lists give way first.
  let low = 0;
  let high = Math.max(0, ...totals);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (totals.reduce((sum, total) => sum + Math.min(total, mid), 0) <= room) low = mid;
    else high = mid - 1;
  }
  const kept: string[][] = [];
  const notes: string[] = [];
  all.forEach((items, i) => {
    let used = 0;
    let count = 0;
    while (count < items.length && used + (sizes[i]?.[count] ?? 0) <= low) used += sizes[i]?.[count++] ?? 0;
    kept.push(items.slice(0, count));
    const left = items.length - count;
    notes.push(left > 0 ? `_… ${left} more ${sections[i]?.noun ?? "items"} left out to stay within GitHub's size limit; ${where}._` : "");
  });
  const fitted = render(kept, notes);
  if (bytes(fitted) <= limit) return fitted;
  // Only heads too long on their own get here: cut the text itself, with a note.
  const note = `\n\n_… cut to stay within GitHub's size limit; ${where}._`;
  return truncateBytes(fitted, limit - bytes(note)) + note;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
export function truncateBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = bytes(char);
    if (used + size > max) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** `text` within `max` UTF-8 bytes, ending in `...` when it had to be cut. */
export function truncate(text: string, max: number): string {
  return bytes(text) <= max ? text : `${truncateBytes(text, max - 3)}...`;
}

/** A part of a document that is kept or left out whole, named in the note when left out. */
export interface WholeSection {
  /** How the note names it: "Skipped (2039)". */
  title: string;
  text: string;
  /** Kept whatever the budget: the heading, the breakdown, the rollup. */
  required?: boolean;
}

/**
 * Joins sections into at most `budget` UTF-8 bytes by leaving whole sections out, from the last,
 * and saying which and `where` they can be read. Required sections are kept; if they alone are
 * too long, the text itself is cut, with a note.
 */
export function fitWholeSections(sections: readonly WholeSection[], budget: number, where: string, reserved = 0): string {
  // `reserved` bytes follow the text (a final line break): they count against the budget the note names.
  const limit = budget - reserved;
  const join = (kept: readonly WholeSection[], note: string): string => [...kept.map((s) => s.text), ...(note ? [note] : [])].join("\n\n");
  const whole = join(sections, "");
  if (bytes(whole) <= limit) return whole;
  const note = (left: WholeSection[]): string => (left.length > 0 ? `_${left.map((s) => s.title).join(", ")} left out to stay within ${budget} bytes; ${where}._` : "");
  let kept = [...sections];
  const left: WholeSection[] = [];
  for (let i = kept.length - 1; i >= 0 && bytes(join(kept, note(left))) > limit; i--) {
    const section = kept[i] as WholeSection;
    if (section.required) continue;
    left.unshift(section);
    kept = kept.filter((s) => s !== section);
  }
  // A short section after a long one left out may fit again: timings after the failures.
  for (const section of [...left]) {
    const trial = sections.filter((s) => s === section || kept.includes(s));
    const rest = left.filter((s) => s !== section);
    if (bytes(join(trial, note(rest))) <= limit) {
      kept = trial;
      left.splice(left.indexOf(section), 1);
    }
  }
  const fitted = join(kept, note(left));
  if (bytes(fitted) <= limit) return fitted;
  const cut = `\n\n_… cut to stay within ${budget} bytes; ${where}._`;
  return truncateBytes(fitted, Math.max(0, limit - bytes(cut))) + cut;
}
