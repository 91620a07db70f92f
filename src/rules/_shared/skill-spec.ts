import { basename } from "../../discover/paths.js";
import type { Span } from "../../parse/position.js";
import type { RuleContext, RuleFix } from "../types.js";
import { spanOffsets } from "./fix-text.js";

/** The specification's severities: its validator's refusals fail under `agentskills` and warn under `claude-code`. */
export const SPEC = { "claude-code": "warning", agentskills: "error" } as const;

export interface SpecFields {
  data: Record<string, unknown>;
  locate(field: string, part?: "key" | "value"): Span;
}

/** SKILL.md's fields as the specification's validator reads them; null when it reads none. */
export function specFields(context: RuleContext): SpecFields | null {
  const spec = context.markdown?.spec;
  if (!spec?.data) return null;
  return { data: spec.data, locate: spec.locate };
}

/** The skill name as the validator compares it: trimmed and NFKC-normalised; null when it has none. */
export function specName(fields: SpecFields): string | null {
  const name = fields.data.name;
  if (typeof name !== "string" || name.trim() === "") return null;
  return nfkc(name.trim());
}

/** NFKC, as the validator normalises names; printable ASCII is its own NFKC form, and most names are that. */
export function nfkc(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : text.normalize("NFKC");
}

/** Python's `len`: code points, not UTF-16 units. */
export function codePoints(text: string): number {
  // What the string iterator counts, without it: a high surrogate before a low one is one code point.
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The skill's `name` lowercased in place, when that alone makes it equal its folder's name (NFKC)
 * and it is written as the validator reads it (no escapes, no spaces to trim); undefined otherwise.
 */
export function lowercaseNameFix(context: RuleContext, fields: SpecFields, name: string): RuleFix | undefined {
  const folder = nfkc(basename(context.artifact.path));
  if (name === folder || name.toLowerCase() !== folder) return undefined;
  const span = fields.locate("name", "value");
  return {
    level: "safe",
    edits(text) {
      const { start, end } = spanOffsets(text, span);
      const raw = text.slice(start, end);
      const quoted = /^(["'])(.*)\1$/s.exec(raw);
      if ((quoted ? quoted[2] : raw) !== name) return [];
      return [{ start, end, text: raw.toLowerCase() }];
    },
  };
}
