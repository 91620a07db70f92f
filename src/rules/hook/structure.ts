import { basename } from "../../discover/paths.js";
import type { JsonPath } from "../../parse/json.js";
import { describeJsonType, isObject } from "../json/valid.js";
import { always, type Rule } from "../types.js";

/** Event names Claude Code documents; used only to recognise events declared in the wrong place. */
export const HOOK_EVENTS = [
  "PreToolUse",
  "PostToolUse",
  "PostToolUseFailure",
  "PermissionRequest",
  "Notification",
  "UserPromptSubmit",
  "Stop",
  "SubagentStart",
  "SubagentStop",
  "PreCompact",
  "SessionStart",
  "SessionEnd",
];

export const hookStructure: Rule = {
  id: "hook/structure",
  description: "Hooks sit under a `hooks` object, by event, as matcher groups whose `hooks` each have a `type` (and a `command` for command hooks).",
  types: ["hook"],
  reason: "invalid_structure",
  severity: always("error"),
  check({ artifact, json, report }) {
    if (!json || !isObject(json.value)) return;
    const root = json.value;
    const isSettings = basename(artifact.manifest ?? "") === "settings.json";
    if (!isSettings) {
      const stray = Object.keys(root).filter((key) => HOOK_EVENTS.includes(key));
      for (const event of stray) {
        report({ message: `The event ${event} is declared at the top level; move it inside the \`hooks\` object.`, span: json.locate([event], "key") });
      }
      if (!("hooks" in root)) {
        if (stray.length === 0) report({ message: "The file has no `hooks` object; declare events as `{\"hooks\": {\"PreToolUse\": [...]}}`.", span: json.locate([]) });
        return;
      }
    }
    const hooks = root.hooks;
    if (!isObject(hooks)) {
      report({ message: `\`hooks\` must be an object keyed by event name, not ${describeJsonType(hooks)}.`, span: json.locate(["hooks"]) });
      return;
    }
    for (const [event, groups] of Object.entries(hooks)) {
      const at: JsonPath = ["hooks", event];
      if (!Array.isArray(groups)) {
        report({ message: `The ${event} event must hold an array of matcher groups, not ${describeJsonType(groups)}.`, span: json.locate(at) });
        continue;
      }
      groups.forEach((group, g) => {
        if (!isObject(group)) {
          report({ message: `Each ${event} entry must be an object with a \`hooks\` array, not ${describeJsonType(group)}.`, span: json.locate([...at, g]) });
          return;
        }
        if (!Array.isArray(group.hooks)) {
          report({
            message: `This ${event} entry needs a \`hooks\` array of hook objects${"hooks" in group ? `, not ${describeJsonType(group.hooks)}` : ""}.`,
            span: json.locate([...at, g, "hooks"], "hooks" in group ? "value" : "key"),
          });
          return;
        }
        group.hooks.forEach((hook, h) => {
          const path: JsonPath = [...at, g, "hooks", h];
          if (!isObject(hook)) {
            report({ message: `A hook must be an object with a \`type\`, not ${describeJsonType(hook)}.`, span: json.locate(path) });
            return;
          }
          if (typeof hook.type !== "string") {
            report({ message: `This ${event} hook has no \`type\` (\`command\`, \`prompt\` or \`agent\`).`, span: json.locate(path) });
            return;
          }
          if (hook.type === "command" && (typeof hook.command !== "string" || hook.command.trim() === "")) {
            report({ message: `This ${event} command hook has no \`command\` to run.`, span: json.locate([...path, "type"], "key") });
          }
        });
      });
    }
  },
};
