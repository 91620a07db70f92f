import { always, severityOf, type Rule, type RuleFix } from "../types.js";
import { textRule, warnUnderBoth } from "../_shared/text-rule.js";

/** Removing the mark leaves the text every reader sees; offered where the mark breaks the file. */
const STRIP_BOM: RuleFix = {
  level: "safe",
  edits: (text) => (text.charCodeAt(0) === 0xfeff ? [{ start: 0, end: 1, text: "" }] : []),
};

export const fileNoBom: Rule = textRule({
  id: "file/no-bom",
  description: "The file has no UTF-8 byte order mark. Claude Code strips one from plugin.json, marketplace.json and Markdown files but refuses it in hooks.json and .mcp.json; the specification's validator refuses it in SKILL.md.",
  kinds: ["bom"],
  reason: "invalid_structure",
  severity: always("error"),
  severityByType: { skill: { "claude-code": "warning" }, agent: warnUnderBoth, command: warnUnderBoth, plugin: warnUnderBoth, marketplace: warnUnderBoth },
  fix: "Save the file as UTF-8 without BOM (in VS Code: the encoding in the status bar, then Save with Encoding, UTF-8).",
  fixable: "safe",
  repair: ({ kind }, { artifact, profile }) => (kind === "bom" && severityOf(fileNoBom, artifact.type, profile) === "error" ? STRIP_BOM : undefined),
  example: { file: "hooks/hooks.json", line: 1, column: 1, message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM." },
});
