import { always, type Rule } from "../types.js";
import { GUARDING_EVENTS, hookMaps } from "../../manifest/hooks.js";
import { invalidHookEntries } from "../_shared/hook-entries.js";

export const hookGuardingEntries: Rule = {
  id: "hook/guarding-entries",
  description: "Every PreToolUse and PermissionRequest entry loads: a matcher group with a text `matcher` and a `hooks` array of hooks with a known `type` and what it needs (`command`, `prompt`, `url`, `server`). Such a hook may be what guards a permission, so Claude Code refuses the whole file when one cannot load. Checked in hooks files and in hooks written inline in plugin.json.",
  types: ["hook", "plugin"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Give the hook what its type needs, e.g. `{\"type\": \"command\", \"command\": \"./scripts/check.sh\"}`, or remove the entry.",
  example: { file: "hooks/hooks.json", line: 4, column: 20, message: "This PreToolUse command hook has no `command`; Claude Code refuses the file, since a permission guard that cannot load leaves what it guards unapplied." },
  check({ artifact, json, report }) {
    if (!json) return;
    for (const problem of hookMaps(artifact.type, json).flatMap((hooks) => invalidHookEntries(hooks.value, hooks.at))) {
      if (!GUARDING_EVENTS.includes(problem.event)) continue;
      report({ message: `${problem.message.replace(/\.$/, "")}; Claude Code refuses the file, since a permission guard that cannot load leaves what it guards unapplied.`, span: json.locate(problem.path, problem.part) });
    }
  },
};
