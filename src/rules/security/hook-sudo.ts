import { commandHookRule } from "../_shared/hook-commands.js";
import { always } from "../types.js";

export const securityHookSudo = commandHookRule({
  id: "security/hook-sudo",
  description: "A command hook does not run `sudo` or `doas`: a hook runs unattended on every matching event, and root rights there reach past the project to the whole machine.",
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Do what needs root once, in the plugin's install instructions, and keep the hook to what the user's own rights allow.",
  example: { file: ".claude/settings.json", line: 9, column: 24, message: "The PostToolUse hook for \"Bash\" runs `sudo`: a hook runs unattended, and with root rights it can change anything on the machine." },
  find(effects, where) {
    return effects.sudo ? [{ at: effects.executables.includes("doas") ? "doas" : "sudo", message: `${where} runs \`sudo\`: a hook runs unattended, and with root rights it can change anything on the machine.` }] : [];
  },
});
