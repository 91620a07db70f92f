import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

export const monitorEntries: Rule = {
  id: "monitor/entries",
  description: "A plugin's `monitors/monitors.json` (or a monitors file plugin.json names) is a JSON list of monitors, each an object with a `name`, a `command` and a `description`. Claude Code's loader fails the plugin's components on any other shape.",
  types: ["monitor"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Write the file as `[{\"name\": \"log\", \"command\": \"tail -f app.log\", \"description\": \"Watches the log\"}]`: every monitor needs all three.",
  example: { file: "monitors/monitors.json", line: 1, column: 1, message: "The monitors file must hold a list of monitors, not an object." },
  check({ json, report }) {
    if (!json) return;
    const value = json.value;
    if (!Array.isArray(value)) {
      report({ message: `The monitors file must hold a list of monitors, not ${describeJsonType(value)}.`, span: json.locate([]) });
      return;
    }
    value.forEach((entry, i) => {
      if (!isObject(entry)) {
        report({ message: `Monitor ${i + 1} must be an object with a \`name\` and a \`command\`, not ${describeJsonType(entry)}.`, span: json.locate([i]) });
        return;
      }
      for (const field of ["name", "command", "description"]) {
        const text = entry[field];
        if (typeof text === "string" && text.trim() !== "") continue;
        report({
          message: field in entry ? `Monitor ${i + 1}'s \`${field}\` must be non-empty text, not ${describeJsonType(text)}.` : `Monitor ${i + 1} has no \`${field}\`; Claude Code's loader refuses it.`,
          span: json.locate(field in entry ? [i, field] : [i]),
          reason: field in entry ? "invalid_field" : "missing_metadata",
        });
      }
    });
  },
};
