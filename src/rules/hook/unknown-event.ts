import { always, type Rule } from "../types.js";
import { HOOK_EVENTS, hookMaps } from "../../manifest/hooks.js";

export const hookUnknownEvent: Rule = {
  id: "hook/unknown-event",
  description: "Every key of `hooks` is an event Claude Code knows (names are case-sensitive), in hooks files and in hooks written inline in plugin.json; it ignores others.",
  types: ["hook", "plugin"],
  reason: "invalid_field",
  severity: always("warning"),
  fix: `Use one of the events Claude Code knows, spelled exactly: ${HOOK_EVENTS.slice(0, 6).join(", ")}, ….`,
  example: { file: "hooks/hooks.json", line: 3, column: 5, message: "The event \"pretooluse\" is not one Claude Code knows (did you mean \"PreToolUse\"?); it ignores these hooks." },
  check({ artifact, json, report }) {
    if (!json) return;
    for (const hooks of hookMaps(artifact.type, json)) {
      for (const event of Object.keys(hooks.value)) {
        if (HOOK_EVENTS.includes(event)) continue;
        const near = HOOK_EVENTS.find((known) => known.toLowerCase() === event.toLowerCase().replace(/[-_ ]/g, ""));
        report({ message: `The event ${JSON.stringify(event)} is not one Claude Code knows${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; it ignores these hooks.`, span: json.locate([...hooks.at, event], "key") });
      }
    }
  },
};
