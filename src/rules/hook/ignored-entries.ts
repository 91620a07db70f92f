import { always, type Rule } from "../types.js";
import { GUARDING_EVENTS, hookMaps } from "../../manifest/hooks.js";
import { invalidHookEntries } from "../_shared/hook-entries.js";

export const hookIgnoredEntries: Rule = {
  id: "hook/ignored-entries",
  description: "Entries under events other than PreToolUse and PermissionRequest load: Claude Code ignores one that does not (a hook without its `command`, an unknown `type`, a `hooks` that is not an array). Checked in hooks files and in hooks written inline in plugin.json.",
  types: ["hook", "plugin"],
  reason: "invalid_structure",
  severity: always("warning"),
  fix: "Give the hook what its type needs, e.g. `{\"type\": \"command\", \"command\": \"./scripts/notify.sh\"}`, or remove the entry.",
  example: { file: "hooks/hooks.json", line: 4, column: 20, message: "This Stop command hook has no `command`; Claude Code ignores this entry." },
  check({ artifact, json, report }) {
    if (!json) return;
    for (const problem of hookMaps(artifact.type, json).flatMap((hooks) => invalidHookEntries(hooks.value, hooks.at))) {
      if (GUARDING_EVENTS.includes(problem.event)) continue;
      report({ message: `${problem.message.replace(/\.$/, "")}; Claude Code ignores this entry.`, span: json.locate(problem.path, problem.part) });
    }
  },
};
