import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

/** Claude Code refuses these in a plugin name: control and bidirectional-formatting characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
export const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const pluginName: Rule = {
  id: "plugin/name",
  description: "plugin.json has a `name`: non-empty text without spaces or control characters.",
  types: ["plugin"],
  reason: "missing_metadata",
  severity: always("error"),
  fix: "Set `\"name\"` to the plugin's kebab-case name, such as `\"pdf-tools\"`.",
  example: { file: ".claude-plugin/plugin.json", line: 2, column: 11, message: "The name \"My Plugin\" has spaces; Claude Code refuses it. Use kebab-case, such as \"my-plugin\"." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const name = json.value.name;
    if (!("name" in json.value)) {
      report({ message: "plugin.json has no `name`; Claude Code refuses a plugin without one.", span: json.locate([]) });
    } else if (typeof name !== "string" || name === "") {
      report({ message: `\`name\` must be non-empty text, not ${describeJsonType(name)}.`, span: json.locate(["name"]), reason: "invalid_field" });
    } else if (name.includes(" ")) {
      report({ message: `The name ${JSON.stringify(name)} has spaces; Claude Code refuses it. Use kebab-case, such as ${JSON.stringify(name.trim().replace(/\s+/g, "-").toLowerCase())}.`, span: json.locate(["name"]), reason: "invalid_field" });
    } else if (CONTROL_OR_BIDI.test(name)) {
      report({ message: `The name ${JSON.stringify(name)} holds control or bidirectional-formatting characters; Claude Code refuses it.`, span: json.locate(["name"]), reason: "invalid_field" });
    }
  },
};
