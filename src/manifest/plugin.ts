import { resolveRelative } from "../discover/paths.js";
import type { ArtifactType } from "../model.js";
import type { JsonPath } from "../parse/json.js";
import { isObject } from "./json.js";

/** The artifact types a plugin can provide besides itself. */
export type ComponentType = Exclude<ArtifactType, "plugin" | "marketplace">;

/**
 * Component fields of plugin.json (and of a marketplace entry that defines its plugin, with
 * `strict: false`) that name files or folders: the type each names, the extension its paths
 * need, whether the field may also define components inline, and whether naming anything turns
 * the default folder off (Claude Code 2.1.330 reads `agents`, `commands`, `outputStyles`,
 * `themes` and `workflows` instead of their folders, and the others beside them). Experimental
 * fields may also stand under `experimental`.
 */
export const COMPONENT_FIELDS: { field: string; type: ComponentType; extension?: string; inline?: boolean; replacesDefault?: boolean; experimental?: boolean }[] = [
  { field: "commands", type: "command", inline: true, replacesDefault: true },
  { field: "agents", type: "agent", extension: ".md", replacesDefault: true },
  { field: "skills", type: "skill" },
  { field: "hooks", type: "hook", extension: ".json", inline: true },
  { field: "mcpServers", type: "mcp", extension: ".json", inline: true },
  { field: "outputStyles", type: "output-style", replacesDefault: true },
  { field: "lspServers", type: "lsp", extension: ".json", inline: true },
  { field: "monitors", type: "monitor", extension: ".json", inline: true, experimental: true },
  { field: "themes", type: "theme", replacesDefault: true, experimental: true },
  { field: "workflows", type: "workflow", replacesDefault: true },
];

/** A component field's value, at the top level or (for experimental components) under `experimental`. */
function fieldValue(manifest: Record<string, unknown>, field: string, experimental: boolean | undefined): { value: unknown; at: JsonPath } | null {
  if (field in manifest) return { value: manifest[field], at: [field] };
  const nested = manifest.experimental;
  if (experimental && isObject(nested) && field in nested) return { value: nested[field], at: ["experimental", field] };
  return null;
}

export interface ComponentPath {
  field: string;
  type: ComponentType;
  extension?: string;
  /** Where the value stands in the manifest. */
  path: JsonPath;
  value: unknown;
}

/** Every path-like value of the component fields, inline definitions left out. */
export function componentPaths(manifest: Record<string, unknown>): ComponentPath[] {
  const out: ComponentPath[] = [];
  for (const { field, type, extension, inline, experimental } of COMPONENT_FIELDS) {
    const found = fieldValue(manifest, field, experimental);
    if (found === null) continue;
    const { value, at } = found;
    const base = { field, type, ...(extension ? { extension } : {}) };
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (!(inline && isObject(item))) out.push({ ...base, path: [...at, i], value: item });
      });
    } else if (isObject(value)) {
      if (field === "commands") {
        for (const [name, command] of Object.entries(value)) {
          if (isObject(command) && "source" in command) out.push({ ...base, path: [...at, name, "source"], value: command.source });
        }
      } else if (!inline) out.push({ ...base, path: at, value });
    } else {
      out.push({ ...base, path: at, value });
    }
  }
  return out;
}

/** The component types whose default folder a manifest turns off by naming its own. */
export function replacedDefaults(manifest: Record<string, unknown>): ComponentType[] {
  return COMPONENT_FIELDS.filter(({ field, replacesDefault, experimental }) => {
    const found = replacesDefault ? fieldValue(manifest, field, experimental) : null;
    return found !== null && found.value !== null && found.value !== undefined && found.value !== false;
  }).map(({ type }) => type);
}

/** A component file or folder that a plugin manifest names, as a path from the root. */
export interface NamedComponent {
  type: ComponentType;
  path: string;
}

/**
 * The component files and folders a plugin manifest names: the paths Claude Code reads them
 * from, when they are well-formed (`./`, no `..`, the right extension); what is wrong with the
 * others is the manifest's to report.
 */
export function namedComponents(pluginDir: string, manifest: Record<string, unknown>): NamedComponent[] {
  const out: NamedComponent[] = [];
  for (const { type, extension, value } of componentPaths(manifest)) {
    if (typeof value !== "string" || !value.startsWith("./") || value.split("/").includes("..") || (extension && !value.endsWith(extension))) continue;
    const path = resolveRelative(pluginDir, value);
    if (path !== null) out.push({ type, path });
  }
  return out;
}
