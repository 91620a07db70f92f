import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const pluginNameKebabCase: Rule = {
  id: "plugin/name-kebab-case",
  description: "A plugin's `name` is kebab-case (`^[a-z0-9]+(-[a-z0-9]+)*$`). Claude Code loads other names, but the Claude.ai marketplace sync and Claude Desktop need kebab-case.",
  types: ["plugin"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Use lowercase letters, digits and single hyphens: `pdf-tools`, not `PDF_Tools`.",
  example: { file: ".claude-plugin/plugin.json", line: 2, column: 11, message: "The name \"PDF_Tools\" is not kebab-case; Claude Code loads it, but marketplace sync needs lowercase words joined by hyphens (\"pdf-tools\")." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const name = json.value.name;
    if (typeof name !== "string" || name === "" || name.includes(" ") || KEBAB.test(name)) return;
    const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    report({ message: `The name ${JSON.stringify(name)} is not kebab-case; Claude Code loads it, but marketplace sync needs lowercase words joined by hyphens${suggestion ? ` (${JSON.stringify(suggestion)})` : ""}.`, span: json.locate(["name"]) });
  },
};
