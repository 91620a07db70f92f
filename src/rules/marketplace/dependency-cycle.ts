import { join } from "../../discover/paths.js";
import { isObject } from "../../manifest/json.js";
import { dependencyNames } from "../_shared/plugin-fields.js";
import type { Rule } from "../types.js";
import { localPluginSources } from "../../manifest/marketplace.js";

export const marketplaceDependencyCycle: Rule = {
  id: "marketplace/dependency-cycle",
  description: "The plugins of a marketplace do not depend on each other in a cycle, counting `dependencies` in marketplace entries and in the listed plugins' plugin.json.",
  types: ["marketplace"],
  reason: "broken_reference",
  severity: { "claude-code": "warning", agentskills: "error" },
  fix: "Remove one dependency of the cycle, or merge the plugins that need each other.",
  example: { file: ".claude-plugin/marketplace.json", line: 5, column: 15, message: "The plugins depend on each other in a cycle: a → b → c → a; remove one of these dependencies." },
  check({ artifact, json, scope, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    const entries = json.value.plugins;
    const graph = new Map<string, { index: number; deps: Set<string> }>();
    entries.forEach((entry, index) => {
      if (!isObject(entry) || typeof entry.name !== "string" || graph.has(entry.name)) return;
      graph.set(entry.name, { index, deps: new Set(dependencyNames(entry).map(bareName)) });
    });
    for (const { index, dir } of localPluginSources(artifact.path, json.value)) {
      const entry = entries[index];
      if (dir === null || !isObject(entry) || typeof entry.name !== "string") continue;
      const manifest = scope?.parsed(join(dir, ".claude-plugin/plugin.json"));
      if (manifest?.format === "json" && isObject(manifest.value)) for (const d of dependencyNames(manifest.value)) graph.get(entry.name)?.deps.add(bareName(d));
    }
    for (const cycle of findCycles(graph)) {
      const first = graph.get(cycle[0] as string) as { index: number };
      report({ message: `The plugins depend on each other in a cycle: ${[...cycle, cycle[0]].join(" → ")}; remove one of these dependencies.`, span: json.locate(["plugins", first.index, "name"]) });
    }
  },
};

/** `name@marketplace` names a plugin of another marketplace only by its suffix. */
function bareName(dependency: string): string {
  return dependency.replace(/@[^@]*$/, "");
}

/** Each elementary cycle found by depth-first search, once, starting at its earliest-listed plugin. */
function findCycles(graph: Map<string, { index: number; deps: Set<string> }>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, "active");
    stack.push(name);
    for (const dep of graph.get(name)?.deps ?? []) {
      if (!graph.has(dep)) continue;
      if (state.get(dep) === "active") {
        const cycle = stack.slice(stack.indexOf(dep));
        const start = cycle.reduce((best, n, i) => ((graph.get(n)?.index ?? 0) < (graph.get(cycle[best] as string)?.index ?? 0) ? i : best), 0);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const id = rotated.join("\u0000");
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(rotated);
        }
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const name of graph.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
