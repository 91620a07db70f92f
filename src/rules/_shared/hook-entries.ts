import type { JsonPath } from "../../parse/json.js";
import { isObject } from "../../manifest/json.js";
import { HOOK_EVENTS } from "../../manifest/hooks.js";
import { describeJsonType } from "./describe-json-type.js";

/** What each hook type needs besides `type`. */
const REQUIRED_BY_TYPE: Record<string, string> = { command: "command", prompt: "prompt", agent: "prompt", http: "url", mcp_tool: "server" };

export interface HookEntryProblem {
  event: string;
  message: string;
  path: JsonPath;
  part: "key" | "value";
}

/** Every entry Claude Code cannot load, under known events. */
export function invalidHookEntries(hooks: Record<string, unknown>, at: JsonPath): HookEntryProblem[] {
  const out: HookEntryProblem[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!HOOK_EVENTS.includes(event)) continue;
    const eventPath: JsonPath = [...at, event];
    if (!Array.isArray(groups)) {
      out.push({ event, message: `The ${event} event must hold an array of matcher groups, not ${describeJsonType(groups)}.`, path: eventPath, part: "value" });
      continue;
    }
    groups.forEach((group, g) => {
      const groupPath: JsonPath = [...eventPath, g];
      if (!isObject(group)) {
        out.push({ event, message: `Each ${event} entry must be an object with a \`hooks\` array, not ${describeJsonType(group)}.`, path: groupPath, part: "value" });
        return;
      }
      if ("matcher" in group && typeof group.matcher !== "string") {
        out.push({ event, message: `The ${event} \`matcher\` must be text such as "Bash" or "Edit|Write", not ${describeJsonType(group.matcher)}.`, path: [...groupPath, "matcher"], part: "value" });
      }
      if (!Array.isArray(group.hooks)) {
        out.push({
          event,
          message: `This ${event} entry needs a \`hooks\` array of hook objects${"hooks" in group ? `, not ${describeJsonType(group.hooks)}` : ""}.`,
          path: "hooks" in group ? [...groupPath, "hooks"] : groupPath,
          part: "value",
        });
        return;
      }
      group.hooks.forEach((hook, h) => {
        const path: JsonPath = [...groupPath, "hooks", h];
        if (!isObject(hook)) {
          out.push({ event, message: `A ${event} hook must be an object with a \`type\`, not ${describeJsonType(hook)}.`, path, part: "value" });
          return;
        }
        if (typeof hook.type !== "string") {
          out.push({ event, message: `This ${event} hook has no \`type\`; use "command", "prompt", "agent", "http" or "mcp_tool".`, path, part: "value" });
          return;
        }
        if ("timeout" in hook && typeof hook.timeout !== "number") {
          out.push({ event, message: `This ${event} hook's \`timeout\` must be a number of seconds, not ${describeJsonType(hook.timeout)}.`, path: [...path, "timeout"], part: "value" });
        }
        const required = REQUIRED_BY_TYPE[hook.type];
        if (required === undefined) {
          out.push({ event, message: `The hook type ${JSON.stringify(hook.type)} is unknown; use "command", "prompt", "agent", "http" or "mcp_tool".`, path: [...path, "type"], part: "value" });
        } else if (typeof hook[required] !== "string") {
          out.push({
            event,
            message: `This ${event} ${hook.type} hook has no \`${required}\`${required in hook ? ` text (it is ${describeJsonType(hook[required])})` : ""}.`,
            path: required in hook ? [...path, required] : [...path, "type"],
            part: required in hook ? "value" : "key",
          });
        }
      });
    });
  }
  return out;
}
