import { ARTIFACT_TYPES, type FailReasonCode, type Profile, type Severity } from "../../model.js";
import type { TextProblemKind } from "../../parse/text.js";
import { always, type Rule, type RuleContext } from "../types.js";

const ALL_TYPES = ARTIFACT_TYPES;

function textRule(
  rule: Pick<Rule, "id" | "description" | "fix" | "example" | "severity" | "severityByType"> & { kinds: TextProblemKind[]; reason: FailReasonCode },
): Rule {
  const { kinds, ...rest } = rule;
  return {
    ...rest,
    types: ALL_TYPES,
    check({ load, report }: RuleContext) {
      if (load.kind !== "text") return;
      for (const problem of load.problems) {
        if (kinds.includes(problem.kind)) report({ message: problem.message, span: problem.span });
      }
    },
  };
}

const warnUnderBoth: Partial<Record<Profile, Severity>> = { "claude-code": "warning", agentskills: "warning" };

export const fileText = textRule({
  id: "file/text",
  description: "The file is UTF-8 text, not binary.",
  kinds: ["binary", "encoding"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Save the file as UTF-8.",
  example: { file: ".claude/agents/latin1.md", line: 2, column: 10, message: "The file is not valid UTF-8 (first bad byte at offset 13); save it as UTF-8." },
});

export const fileNotEmpty = textRule({
  id: "file/not-empty",
  description: "The file is not empty. An empty JSON manifest is invalid JSON; an empty SKILL.md has no frontmatter, which the specification refuses and Claude Code loads with no metadata.",
  kinds: ["empty"],
  reason: "missing_metadata",
  severity: always("error"),
  severityByType: { skill: { "claude-code": "warning" }, command: warnUnderBoth, agent: warnUnderBoth },
  fix: "Write the file's content, or delete it.",
  example: { file: "skills/pdf/SKILL.md", line: 1, column: 1, message: "The file is empty." },
});

export const fileNoBom = textRule({
  id: "file/no-bom",
  description: "The file has no UTF-8 byte order mark. Claude Code strips one from plugin.json, marketplace.json and Markdown files but refuses it in hooks.json and .mcp.json; the specification's validator refuses it in SKILL.md.",
  kinds: ["bom"],
  reason: "invalid_structure",
  severity: always("error"),
  severityByType: { skill: { "claude-code": "warning" }, agent: warnUnderBoth, command: warnUnderBoth, plugin: warnUnderBoth, marketplace: warnUnderBoth },
  fix: "Save the file as UTF-8 without BOM (in VS Code: the encoding in the status bar, then Save with Encoding, UTF-8).",
  example: { file: "hooks/hooks.json", line: 1, column: 1, message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM." },
});

export const fileLineEndings = textRule({
  id: "file/line-endings",
  description: "The file uses LF line endings. Claude Code and the specification's validator both read CRLF, so this is only a notice.",
  kinds: ["line-endings"],
  reason: "invalid_structure",
  severity: always("notice"),
  fix: "Convert to LF, for example with `* text=auto eol=lf` in .gitattributes.",
  example: { file: ".claude/agents/win.md", line: 1, column: 4, message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes." },
});
