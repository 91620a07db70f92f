import { always } from "../types.js";
import { textRule, warnUnderBoth } from "../_shared/text-rule.js";

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
