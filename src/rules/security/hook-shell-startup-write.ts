import { commandHookRule } from "../_shared/hook-commands.js";
import { always } from "../types.js";

export const securityHookShellStartupWrite = commandHookRule({
  id: "security/hook-shell-startup-write",
  description: "A command hook does not write to shell start-up files (`~/.bashrc`, `~/.zshrc`, `~/.profile`, `/etc/profile`, …): what lands there runs in every shell the user opens, long after the plugin is gone.",
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Tell the user what to add to their shell profile, or set what the session needs in the hook's own environment.",
  example: { file: "plugins/env/hooks/hooks.json", line: 7, column: 24, message: "The SessionStart hook writes to ~/.zshrc: what it adds runs in every shell the user opens, even after the plugin is removed." },
  find(effects, where) {
    return effects.startupFiles.map((file) => ({ at: file, message: `${where} writes to ${file}: what it adds runs in every shell the user opens, even after the plugin is removed.` }));
  },
});
