import { basename } from "../../discover/paths.js";
import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";
import { GUARDING_EVENTS, HOOK_EVENTS, hookMaps } from "../../manifest/hooks.js";

export const hookStructure: Rule = {
  id: "hook/structure",
  description: "hooks.json holds a `hooks` object (or `modules`) keyed by event; PreToolUse and PermissionRequest are never declared beside it at the top level, and `description` is text. Hooks written inline in plugin.json are the bare event map, with no `hooks` wrapper around PreToolUse or PermissionRequest.",
  types: ["hook", "plugin"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Wrap the events: `{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"...\"}]}]}}`; inline in plugin.json, write the events directly: `\"hooks\": {\"PreToolUse\": [...]}`.",
  example: { file: "hooks/hooks.json", line: 2, column: 3, message: "The event PreToolUse is declared at the top level, outside the `hooks` object; Claude Code refuses the plugin until it moves inside `hooks`." },
  check({ artifact, json, report }) {
    if (!json || !isObject(json.value)) return;
    if (artifact.type === "plugin") {
      // Inline hooks are the event map itself: events one level down go unread, and Claude Code
      // refuses a plugin whose permission guards would be among them.
      for (const hooks of hookMaps(artifact.type, json)) {
        for (const [key, value] of Object.entries(hooks.value)) {
          if (HOOK_EVENTS.includes(key) || !isObject(value)) continue;
          const guards = Object.keys(value).filter((event) => GUARDING_EVENTS.includes(event));
          if (guards.length === 0) continue;
          report({
            message: `${JSON.stringify(key)} is not a hook event, but it holds ${guards.join(" and ")} hooks; inline hooks in plugin.json are the bare event map, so move ${guards.length > 1 ? "them" : "it"} up a level. Claude Code refuses the plugin until then.`,
            span: json.locate([...hooks.at, key], "key"),
          });
        }
      }
      return;
    }
    const root = json.value;
    const isSettings = basename(artifact.manifest ?? "") === "settings.json";
    if (!isSettings) {
      const stray = Object.keys(root).filter((key) => HOOK_EVENTS.includes(key));
      for (const event of stray.filter((e) => GUARDING_EVENTS.includes(e))) {
        report({ message: `The event ${event} is declared at the top level, outside the \`hooks\` object; Claude Code refuses the plugin until it moves inside \`hooks\`.`, span: json.locate([event], "key") });
      }
      if (!("hooks" in root) && !("modules" in root)) {
        const hint = stray.length > 0 ? ` (it has ${stray.join(", ")} at the top level; move ${stray.length > 1 ? "them" : "it"} inside)` : "";
        report({ message: `The file has no \`hooks\` object${hint}; declare events as \`{"hooks": {"PreToolUse": [...]}}\`.`, span: json.locate([]) });
      }
      if ("description" in root && typeof root.description !== "string") {
        report({ message: `\`description\` must be text, not ${describeJsonType(root.description)}.`, span: json.locate(["description"]), reason: "invalid_field" });
      }
    }
    if ("hooks" in root && !isObject(root.hooks)) {
      report({ message: `\`hooks\` must be an object keyed by event name, not ${describeJsonType(root.hooks)}.`, span: json.locate(["hooks"]) });
    }
  },
};
