import { describeJsonType, isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";

export const pluginName: Rule = {
  id: "plugin/name",
  description: "plugin.json has a `name`: non-empty text without white space.",
  types: ["plugin"],
  reason: "missing_metadata",
  severity: always("error"),
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const name = json.value.name;
    if (!("name" in json.value)) {
      report({ message: "plugin.json has no `name`; Claude Code refuses a plugin without one.", span: json.locate([]) });
    } else if (typeof name !== "string" || name.trim() === "") {
      report({ message: `\`name\` must be non-empty text, not ${describeJsonType(name)}.`, span: json.locate(["name"]), reason: "invalid_field" });
    } else if (/\s/.test(name)) {
      report({ message: `The name ${JSON.stringify(name)} has white space; use kebab-case, such as ${JSON.stringify(name.trim().replace(/\s+/g, "-").toLowerCase())}.`, span: json.locate(["name"]), reason: "invalid_field" });
    }
  },
};
