import { HOOK_EVENTS, hookMaps } from "../manifest/hooks.js";
import { isObject } from "../manifest/json.js";
import { mcpServerMaps } from "../manifest/mcp.js";
import type { ArtifactType } from "../model.js";
import type { JsonPath, ParsedJson } from "../parse/json.js";

/** One hook object of an artifact, under an event Claude Code knows, with where it stands. */
export interface HookEntry {
  event: string;
  /** The group's `matcher`; null when the group has none (every tool, every source). */
  matcher: string | null;
  hook: Record<string, unknown>;
  path: JsonPath;
}

/** Every hook object with a `type`, under the events Claude Code knows, in file order. */
export function hookEntries(type: ArtifactType, json: ParsedJson): HookEntry[] {
  const out: HookEntry[] = [];
  for (const { value, at } of hookMaps(type, json)) {
    for (const [event, groups] of Object.entries(value)) {
      if (!HOOK_EVENTS.includes(event) || !Array.isArray(groups)) continue;
      groups.forEach((group, g) => {
        if (!isObject(group) || !Array.isArray(group.hooks)) return;
        const matcher = typeof group.matcher === "string" && group.matcher !== "" ? group.matcher : null;
        group.hooks.forEach((hook, h) => {
          if (isObject(hook) && typeof hook.type === "string") out.push({ event, matcher, hook, path: [...at, event, g, "hooks", h] });
        });
      });
    }
  }
  return out;
}

/** One MCP server definition of an artifact, with where it stands. */
export interface ServerEntry {
  name: string;
  server: Record<string, unknown>;
  path: JsonPath;
}

/** Every server definition an MCP file or a plugin.json holds. */
export function serverEntries(type: ArtifactType, json: ParsedJson): ServerEntry[] {
  if (!isObject(json.value)) return [];
  const out: ServerEntry[] = [];
  for (const { value, at } of mcpServerMaps(type, json.value)) {
    for (const [name, server] of Object.entries(value)) if (isObject(server)) out.push({ name, server, path: [...at, name] });
  }
  return out;
}

/** The transport a server definition uses: its `type`, else `stdio` for a command and `http` for a URL. */
export function serverTransport(server: Record<string, unknown>): string {
  if (typeof server.type === "string") return server.type;
  return typeof server.url === "string" && typeof server.command !== "string" ? "http" : "stdio";
}
