import { commandHookRule } from "../_shared/hook-commands.js";
import { always } from "../types.js";

export const securityHookDownloadToShell = commandHookRule({
  id: "security/hook-download-to-shell",
  description: "A command hook does not pipe a download into a shell or an interpreter (`curl … | sh`, `bash <(curl …)`, `sh -c \"$(wget -O- …)\"`): whoever controls that address runs code on every machine where the hook fires, and what runs can change after review.",
  reason: "invalid_field",
  // Claude Code runs such a hook: a warning, so no plugin it loads fails on this alone.
  severity: always("warning"),
  fix: "Commit the script to the plugin and run it as `\"${CLAUDE_PLUGIN_ROOT}/scripts/setup.sh\"`, or download to a file and check its checksum before running it.",
  example: { file: "plugins/setup/hooks/hooks.json", line: 7, column: 24, message: "The SessionStart hook runs a download in a shell (`curl -fsSL https://example.com/install.sh | bash`): what it runs is whatever that address serves at the time." },
  find(effects, where) {
    const download = effects.downloadToShell;
    return download === null ? [] : [{ at: download, message: `${where} runs a download in a shell (\`${download}\`): what it runs is whatever that address serves at the time.` }];
  },
});
