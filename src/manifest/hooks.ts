import type { ArtifactType } from "../model.js";
import type { JsonPath, ParsedJson } from "../parse/json.js";
import { isObject } from "./json.js";

/** Hook events Claude Code 2.1.330 knows; keys of `hooks` are case-sensitive. */
export const HOOK_EVENTS = [
  "PreToolUse", "PostToolUse", "PostToolUseFailure", "PostToolBatch", "Notification", "UserPromptSubmit", "UserPromptExpansion",
  "SessionStart", "SessionEnd", "Stop", "StopFailure", "SubagentStart", "SubagentStop", "PreCompact", "PostCompact",
  "PermissionRequest", "PermissionDenied", "Setup", "TeammateIdle", "TaskCreated", "TaskCompleted", "Elicitation",
  "ElicitationResult", "ConfigChange", "WorktreeCreate", "WorktreeRemove", "InstructionsLoaded", "CwdChanged", "FileChanged",
  "MessageDisplay", "PreModelSwitch", "PostModelSwitch", "DirectoryAdded",
];

/**
 * Events whose hooks may guard permissions: Claude Code refuses a plugin whose entry under one of
 * these cannot load, and only ignores a bad entry under any other event.
 */
export const GUARDING_EVENTS = ["PreToolUse", "PermissionRequest"];

/** An event map (event name to matcher groups) and where it stands in its file. */
export interface HookMap {
  value: Record<string, unknown>;
  at: JsonPath;
}

/**
 * The event maps of an artifact: the `hooks` object of a hooks file or `.claude/settings.json`,
 * or the hooks plugin.json writes inline, which are the bare event map, alone or as objects in a
 * list beside file paths.
 */
export function hookMaps(type: ArtifactType, json: ParsedJson): HookMap[] {
  if (!isObject(json.value)) return [];
  const hooks = json.value.hooks;
  if (isObject(hooks)) return [{ value: hooks, at: ["hooks"] }];
  if (type !== "plugin" || !Array.isArray(hooks)) return [];
  return hooks.flatMap((item, i) => (isObject(item) ? [{ value: item, at: ["hooks", i] }] : []));
}
