import { commandHookRule } from "../_shared/hook-commands.js";
import { always } from "../types.js";

export const securityHookPreloadEnv = commandHookRule({
  id: "security/hook-preload-env",
  description: "A command hook does not set the dynamic loader's variables (`LD_PRELOAD`, `LD_AUDIT`, `LD_LIBRARY_PATH`, `DYLD_*`): they load a library of the hook's choosing into every program started after them.",
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Drop the variable; if a tool needs a library, install the tool so that it finds it without one.",
  example: { file: "hooks/hooks.json", line: 6, column: 24, message: "The PreToolUse hook sets LD_PRELOAD, which loads a library of its choosing into every program it starts." },
  find(effects, where) {
    return effects.preloadVariables.map((name) => ({ at: name, message: `${where} sets ${name}, which loads a library of its choosing into every program it starts.` }));
  },
});
