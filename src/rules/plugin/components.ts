import { resolveRelative } from "../../discover/paths.js";
import type { JsonPath } from "../../parse/json.js";
import { isObject } from "../json/valid.js";

/** Component fields of plugin.json that name files or folders, and the extension each needs. */
export const COMPONENT_FIELDS: { field: string; extension?: string; inline?: boolean }[] = [
  { field: "commands", inline: true },
  { field: "agents", extension: ".md" },
  { field: "skills" },
  { field: "hooks", extension: ".json", inline: true },
  { field: "mcpServers", extension: ".json", inline: true },
  { field: "outputStyles" },
  { field: "lspServers", extension: ".json", inline: true },
];

export interface ComponentPath {
  field: string;
  extension?: string;
  /** Where the value stands in the manifest. */
  path: JsonPath;
  value: unknown;
}

/** Every path-like value of the component fields, inline definitions left out. */
export function componentPaths(manifest: Record<string, unknown>): ComponentPath[] {
  const out: ComponentPath[] = [];
  for (const { field, extension, inline } of COMPONENT_FIELDS) {
    if (!(field in manifest)) continue;
    const value = manifest[field];
    const base = { field, ...(extension ? { extension } : {}) };
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (!(inline && isObject(item))) out.push({ ...base, path: [field, i], value: item });
      });
    } else if (isObject(value)) {
      if (field === "commands") {
        for (const [name, command] of Object.entries(value)) {
          if (isObject(command) && "source" in command) out.push({ ...base, path: [field, name, "source"], value: command.source });
        }
      } else if (!inline) out.push({ ...base, path: [field], value });
    } else {
      out.push({ ...base, path: [field], value });
    }
  }
  return out;
}

/** A hooks or MCP file that plugin.json names, as a path from the root. */
export interface NamedConfigFile {
  type: "hook" | "mcp";
  path: string;
}

/**
 * The hooks and MCP files a plugin manifest names: the paths Claude Code reads them from, when
 * they are well-formed (`./`, no `..`, `.json`); what is wrong with the others is the manifest's.
 */
export function namedConfigFiles(pluginDir: string, manifest: Record<string, unknown>): NamedConfigFile[] {
  const out: NamedConfigFile[] = [];
  for (const { field, extension, value } of componentPaths(manifest)) {
    if (field !== "hooks" && field !== "mcpServers") continue;
    if (typeof value !== "string" || !value.startsWith("./") || value.split("/").includes("..") || (extension && !value.endsWith(extension))) continue;
    const path = resolveRelative(pluginDir, value);
    if (path !== null) out.push({ type: field === "hooks" ? "hook" : "mcp", path });
  }
  return out;
}
