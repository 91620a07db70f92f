import { commandHookRule } from "../_shared/hook-commands.js";
import { always } from "../types.js";

export const securityHookChmod777 = commandHookRule({
  id: "security/hook-chmod-777",
  description: "A command hook does not make files writable by everyone (`chmod 777`, `chmod a+rwx`, `chmod o+w`): any user or process on the machine could then change what later runs.",
  reason: "invalid_field",
  severity: always("warning"),
  fix: "Give the owner what it needs: `chmod u+x` for a script, `chmod 755` or `644` for shared files.",
  example: { file: "hooks/hooks.json", line: 6, column: 24, message: "The SessionStart hook makes files writable by everyone (`chmod 777`); use `chmod u+x` or `755`." },
  find(effects, where) {
    const chmod = effects.worldWritable;
    return chmod === null ? [] : [{ at: chmod, message: `${where} makes files writable by everyone (\`${chmod}\`); use \`chmod u+x\` or \`755\`.` }];
  },
});
