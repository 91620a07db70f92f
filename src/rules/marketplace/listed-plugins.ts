import { isWithin } from "../../discover/paths.js";
import { localPluginSources } from "../../manifest/marketplace.js";
import { FAIL_REASON_CODES, type ArtifactResult, type FailReasonCode } from "../../model.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

const HOOK_REFUSALS: readonly string[] = ["json_parse_error", "invalid_structure", "too_large", "io_error"];

export const marketplaceListedPlugins: Rule = {
  id: "marketplace/listed-plugins",
  description: "Every plugin a marketplace lists from this repository has a plugin.json Claude Code accepts, and hooks files (and hooks modules) it can read: it judges a marketplace by what its entries' plugins say, and refuses the marketplace for an error in any of them (a hooks file's missing script fails only the hook). The error is also reported on the plugin or hook itself.",
  types: ["marketplace"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Fix the error in the plugin's own file (the finding on the plugin or hook says where); the marketplace passes with it.",
  example: { file: ".claude-plugin/marketplace.json", line: 9, column: 17, message: "The plugin \"review\" listed here has an error Claude Code refuses this marketplace for, at plugins/review/.claude-plugin/plugin.json:4:13: The agents path \"./agents/\" must end with \".md\"." },
  check({ artifact, json, scope, report }) {
    if (!json || !scope || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    const entries = json.value.plugins;
    for (const { index, dir } of localPluginSources(artifact.path, json.value)) {
      const plugin = dir === null || dir === artifact.path ? undefined : scope.pluginAt(dir);
      if (!plugin) continue;
      // The plugin's manifest and its own hooks files: what Claude Code reads for the marketplace.
      const judged = (scope.byPlugin.get(plugin.key) ?? []).filter((a) => a === plugin || ((a.type === "hook" || a.type === "module") && isWithin(a.path, plugin.path)));
      // A hooks file counts when Claude Code cannot read it or refuses its structure, as its validator does.
      const failed = judged
        .map((a) => scope.verdict(a))
        .filter((r): r is ArtifactResult => r?.status === "failed" && (r.type !== "hook" || HOOK_REFUSALS.includes(r.reason?.code ?? "")));
      const errors = failed.flatMap((r) => r.findings.filter((f) => f.severity === "error"));
      const first = errors[0];
      if (!first) continue;
      const entry = entries[index] as Record<string, unknown>;
      const name = typeof entry.name === "string" ? entry.name : dir;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
      const code = failed[0]?.reason?.code;
      report({
        message: `The plugin ${JSON.stringify(name)} listed here has an error Claude Code refuses this marketplace for, at ${first.file}:${first.line}:${first.column}: ${first.message}${more}`,
        span: json.locate(["plugins", index, "source"]),
        ...(code && (FAIL_REASON_CODES as readonly string[]).includes(code) ? { reason: code as FailReasonCode } : {}),
      });
    }
  },
};
