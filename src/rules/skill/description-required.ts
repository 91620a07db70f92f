import { describeValue } from "../_shared/frontmatter.js";
import { endOfLine, frontmatterRange, offsetAt } from "../_shared/fix-text.js";
import type { Rule, RuleFix } from "../types.js";
import { SPEC, specFields, type SpecFields } from "../_shared/skill-spec.js";

export const skillDescriptionRequired: Rule = {
  id: "skill/description-required",
  description: "SKILL.md frontmatter has a `description` that is non-empty text.",
  types: ["skill"],
  reason: "missing_metadata",
  severity: SPEC,
  fix: "Add `description:` saying what the skill does and when to use it, in up to 1,024 characters.",
  fixable: "suggested",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "The frontmatter has no `description`; it tells the agent what the skill does and when to use it." },
  check(context) {
    const fields = specFields(context);
    if (!fields) return;
    if (!("description" in fields.data)) {
      context.report({ message: "The frontmatter has no `description`; it tells the agent what the skill does and when to use it.", span: fields.locate("description"), fix: describeFromBody(fields) });
      return;
    }
    const description = fields.data.description;
    if (typeof description !== "string" || description.trim() === "") {
      context.report({ message: `\`description\` must be non-empty text, not ${describeValue(description)}; say what the skill does and when to use it.`, span: fields.locate("description", "value"), reason: "invalid_field" });
    }
  },
};

/** The most characters a description may hold. */
const MAX_DESCRIPTION = 1024;

/**
 * `description:` from the body's first paragraph (headings, code and HTML comments passed over),
 * after `name:` or at the end of the frontmatter. It says what the skill is, not always when to
 * use it: a suggestion for a person to read before committing.
 */
function describeFromBody(fields: SpecFields): RuleFix {
  const name = "name" in fields.data ? fields.locate("name", "value") : null;
  return {
    level: "suggested",
    edits(text) {
      const range = frontmatterRange(text);
      if (!range) return [];
      const paragraph = firstParagraph(text.slice(endOfLine(text, range.end + 3)));
      if (paragraph === null) return [];
      const at = name ? endOfLine(text, offsetAt(text, name.endLine, name.endColumn)) : range.end;
      if (at > range.end || text[at - 1] !== "\n") return [];
      const eol = text[at - 2] === "\r" ? "\r\n" : "\n";
      return [{ start: at, end: at, text: `description: ${JSON.stringify(paragraph)}${eol}` }];
    },
  };
}

function firstParagraph(body: string): string | null {
  let inFence = false;
  for (const block of body.replace(/<!--[\s\S]*?-->/g, "").split(/\r?\n[ \t]*\r?\n/)) {
    const lines = block.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
    if (lines.length === 0) continue;
    if (lines.some((l) => l.startsWith("```"))) {
      inFence = lines.filter((l) => l.startsWith("```")).length % 2 === 1 ? !inFence : inFence;
      continue;
    }
    if (inFence) continue;
    const prose = lines.filter((l) => !l.startsWith("#") && !/^([-*_]\s*){3,}$/.test(l));
    if (prose.length === 0) continue;
    const words = prose.join(" ").replace(/\s+/g, " ").trim();
    return [...words].length <= MAX_DESCRIPTION ? words : `${[...words].slice(0, MAX_DESCRIPTION - 1).join("").replace(/\s+\S*$/, "")}…`;
  }
  return null;
}
