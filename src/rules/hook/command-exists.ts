import type { JsonPath } from "../../parse/json.js";
import { commandReferences, execWords, isMissing, pluginFolderOf, projectFolderOf, shellCommands, type CommandBases } from "../_shared/command-paths.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";
import { HOOK_EVENTS, hookMaps, type HookMap } from "../../manifest/hooks.js";

export const hookCommandExists: Rule = {
  id: "hook/command-exists",
  description: "Every script a command hook runs from the repository exists: its program when that is a path (`${CLAUDE_PLUGIN_ROOT}/scripts/check.sh`, `./check.sh`), the script an interpreter runs (`python3 scripts/check.py`) and arguments written as `${CLAUDE_PLUGIN_ROOT}/...`. `${CLAUDE_PLUGIN_ROOT}` and relative paths lead into the plugin; in `.claude/settings.json`, `${CLAUDE_PROJECT_DIR}` and relative paths lead into the project. Programs on PATH and paths built from other variables are not judged. Checked in hooks files and in hooks written inline in plugin.json.",
  types: ["hook", "plugin"],
  reason: "broken_reference",
  // Claude Code's validator accepts it, but it fails each time it runs: a real break, so an error.
  // Written inline in plugin.json it warns under claude-code, so a plugin Claude Code accepts loads.
  severity: always("error"),
  severityByType: { plugin: { "claude-code": "warning" } },
  fix: "Add the script at that path, or correct the path; refer to a plugin's own files as `\"${CLAUDE_PLUGIN_ROOT}/scripts/check.sh\"`.",
  example: { file: "plugins/guard/hooks/hooks.json", line: 6, column: 24, message: "The PreToolUse hook runs \"${CLAUDE_PLUGIN_ROOT}/scripts/check.sh\", but there is no plugins/guard/scripts/check.sh; Claude Code loads the hook, and it fails every time it runs." },
  check({ artifact, json, files, scope, report }) {
    if (!json) return;
    const pluginRoot = pluginFolderOf(artifact, files, scope);
    const projectDir = artifact.plugin === null && artifact.type === "hook" ? projectFolderOf(artifact) : null;
    const bases: CommandBases = { pluginRoot, projectDir, relative: pluginRoot ?? projectDir };
    for (const { event, hook, path } of commandHooks(hookMaps(artifact.type, json))) {
      const execForm = Array.isArray(hook.args);
      const commands = execForm ? [execWords(hook.command as string, hook.args as unknown[])] : shellCommands(hook.command as string);
      for (const { word, role, target, via } of commandReferences(commands, bases)) {
        if (!isMissing(files, target)) continue;
        const where: JsonPath = word.source === 0 ? [...path, "command"] : [...path, "args", word.source - 1];
        const inPlugin = pluginRoot === null ? target : target.slice(pluginRoot === "" ? 0 : pluginRoot.length + 1);
        // A plugin's hook runs in the session's folder, so a relative path there misses the plugin anyway.
        const hint = via === "relative" && pluginRoot !== null ? `; a relative path is read from the session's working directory, not the plugin, so write "\${CLAUDE_PLUGIN_ROOT}/${inPlugin}"` : "";
        const outcome = role === "argument" ? "Claude Code loads the hook, but the file it hands on is not there" : "Claude Code loads the hook, and it fails every time it runs";
        report({ message: `The ${event} hook ${role === "argument" ? "passes" : "runs"} ${JSON.stringify(word.text)}, but there is no ${target}; ${outcome}${hint}.`, span: json.locate(where) });
      }
    }
  },
};

/** Every command hook with text in `command`, under the events Claude Code knows. */
function commandHooks(maps: HookMap[]): { event: string; hook: Record<string, unknown>; path: JsonPath }[] {
  const out: { event: string; hook: Record<string, unknown>; path: JsonPath }[] = [];
  for (const { value, at } of maps) {
    for (const [event, groups] of Object.entries(value)) {
      if (!HOOK_EVENTS.includes(event) || !Array.isArray(groups)) continue;
      groups.forEach((group, g) => {
        if (!isObject(group) || !Array.isArray(group.hooks)) return;
        group.hooks.forEach((hook, h) => {
          if (isObject(hook) && hook.type === "command" && typeof hook.command === "string") out.push({ event, hook, path: [...at, event, g, "hooks", h] });
        });
      });
    }
  }
  return out;
}
