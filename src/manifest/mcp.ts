import type { ArtifactType } from "../model.js";
import type { JsonPath } from "../parse/json.js";
import { isObject } from "./json.js";

/** A map of server names to definitions and where it stands in its file. */
export interface ServerMap {
  value: Record<string, unknown>;
  at: JsonPath;
}

/**
 * The server maps Claude Code reads from an artifact: `mcpServers` of an MCP file, or the whole
 * file when it has no such key; inline in plugin.json, an `mcpServers` object or the objects of an
 * `mcpServers` list (beside file paths). Empty when `mcpServers` is neither.
 */
export function mcpServerMaps(type: ArtifactType, root: Record<string, unknown>): ServerMap[] {
  const servers = root.mcpServers;
  if (type === "plugin") {
    if (isObject(servers)) return [{ value: servers, at: ["mcpServers"] }];
    if (!Array.isArray(servers)) return [];
    return servers.flatMap((item, i) => (isObject(item) ? [{ value: item, at: ["mcpServers", i] }] : []));
  }
  if (!("mcpServers" in root)) return [{ value: Object.fromEntries(Object.entries(root).filter(([name]) => name !== "$schema")), at: [] }];
  return isObject(servers) ? [{ value: servers, at: ["mcpServers"] }] : [];
}

/** Plugins may put servers at the top level of `.mcp.json`, without the `mcpServers` wrapper. */
export function looksLikeServers(value: Record<string, unknown>): boolean {
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((server) => isObject(server) && ("command" in server || "url" in server || "type" in server));
}
