import { hiddenInMarkdown } from "../_shared/hidden-bytes.js";
import { describeHidden, hiddenCharacters } from "../_shared/hidden-characters.js";
import { markdownText } from "../_shared/markdown-text.js";
import { always, type Rule } from "../types.js";

export const securityInvisibleUnicode: Rule = {
  id: "security/invisible-unicode",
  description: "Skills, commands and agents, frontmatter and body, hold no invisible or bidirectional characters (zero-width spaces and joiners outside emoji and the scripts that spell with them, bidirectional overrides and isolates, Unicode tag characters, the variation selectors past U+E0100): the model reads them, a reviewer does not see them, so they can hide instructions in a file that looks harmless.",
  types: ["skill", "command", "agent"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Delete the characters (an editor that shows invisible characters helps), or write what they stand for in plain text.",
  example: { file: "skills/pdf/SKILL.md", line: 12, column: 41, message: "The file holds 3 invisible characters here (U+202E RIGHT-TO-LEFT OVERRIDE, …): a reviewer does not see them, the model reads them." },
  check({ markdown, report }) {
    if (!markdown) return;
    const whole = markdownText(markdown);
    if (whole !== null) {
      for (const run of hiddenCharacters(whole.text)) {
        report({ message: `The file holds ${describeHidden([run])} here: a reviewer does not see them, the model reads them.`, span: whole.index.span(run.start, run.end) });
      }
      return;
    }
    const claude = markdown.claude;
    let frontmatterEnd = 0;
    for (const [field, value] of Object.entries(claude.data ?? {})) {
      if (typeof value !== "string") continue;
      const found = hiddenCharacters(value);
      const span = claude.locate(field, "value");
      frontmatterEnd = Math.max(frontmatterEnd, span.endLine);
      if (found.length > 0) report({ message: `The \`${field}\` field holds ${describeHidden(found)}: a reviewer does not see them, the model reads them.`, span });
    }
    // The body, found in the file's bytes when it was read: a frontmatter value's characters are reported above, by field.
    for (const run of hiddenInMarkdown.get(markdown) ?? []) {
      if (run.span.line <= frontmatterEnd) continue;
      report({ message: `The file holds ${describeHidden([{ start: 0, end: 0, codePoints: run.codePoints }])} here: a reviewer does not see them, the model reads them.`, span: run.span });
    }
  },
};
