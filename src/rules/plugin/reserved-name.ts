import { isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";
import { reservedPluginName } from "./reserved.js";

export const pluginReservedName: Rule = {
  id: "plugin/reserved-name",
  description: "A plugin's `name` is not one Claude Code reserves for Anthropic's own plugins: `claude`, `anthropic`, `anthropics`, `claude-code`, `claude-mods`, anything starting `claude-`, `anthropic-`, `anthropics-` or `cc-plugin-`, or `official` beside claude/anthropic. Case, `_`, `.` and look-alike letters do not help.",
  types: ["plugin"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Name the plugin for what it does, such as `pdf-tools`.",
  example: { file: ".claude-plugin/plugin.json", line: 2, column: 11, message: "The plugin name \"claude-helper\" starts with a prefix reserved for Anthropic's own plugins (claude-, anthropic-, anthropics-, cc-plugin-); name it for what it does." },
  check({ json, report }) {
    if (!json || !isObject(json.value) || typeof json.value.name !== "string") return;
    const why = reservedPluginName(json.value.name);
    if (why) report({ message: `${why}; name it for what it does.`, span: json.locate(["name"]) });
  },
};
