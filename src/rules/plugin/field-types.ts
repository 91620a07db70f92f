import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";
import { reportPluginFieldTypes } from "../_shared/plugin-fields.js";

export const pluginFieldTypes: Rule = {
  id: "plugin/field-types",
  description: "plugin.json fields have the types Claude Code's schema requires: `version`, `description`, `license`, `repository` text; `homepage` a URL; `author` an object with a `name`; `keywords` a list of text; `dependencies` a list.",
  types: ["plugin"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Write `\"version\": \"1.0.0\"` as text, `\"author\": {\"name\": \"...\"}` as an object and `\"keywords\": [\"...\"]` as a list.",
  example: { file: ".claude-plugin/plugin.json", line: 4, column: 15, message: "`keywords` must be a list of text such as [\"pdf\", \"documents\"], not a string (\"pdf,documents\")." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    reportPluginFieldTypes(json.value, [], json, report);
  },
};
