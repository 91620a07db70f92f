import { createHash } from "node:crypto";
import type { AllowEntry } from "../skips/index.js";
import type { Capabilities, HookCapability, McpServerCapability } from "./types.js";

/**
 * The capabilities of an artifact one by one, each with the name a maintainer approves it by and
 * a fingerprint of what it does. The name says where the capability is (the hook's event and
 * matcher, the server's name), the fingerprint what it runs: an approval holds while both match,
 * so an unrelated change keeps it and a changed command needs a new one.
 */
export interface NamedCapability {
  /** `SessionStart`, `PreToolUse:Bash`, `PreToolUse:Bash#2` (the second hook there), `mcp:github`, `tools`, `bin:fmt`. */
  id: string;
  /** `sha256:` and 16 hex digits. */
  fingerprint: string;
  kind: "hook" | "mcp-server" | "tools" | "bin";
  hook?: HookCapability;
  server?: McpServerCapability;
}

/** The name of a hook among the hooks before it: its event, its matcher, and its rank when several share both. */
function hookId(hook: HookCapability, rank: number): string {
  return `${hook.event}${hook.matcher ? `:${hook.matcher}` : ""}${rank > 1 ? `#${rank}` : ""}`;
}

export function serverId(server: McpServerCapability): string {
  return `mcp:${server.name}`;
}

/** What an approval of each kind covers: the exact command and arguments, URL, tools or name. */
export function fingerprintOf(parts: unknown): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16)}`;
}

export function hookFingerprint(hook: HookCapability): string {
  return fingerprintOf(["hook", hook.type, hook.runs]);
}

export function serverFingerprint(server: McpServerCapability): string {
  return fingerprintOf(["mcp", server.transport, server.command, server.args, server.url, server.env]);
}

/** Every capability of an artifact with its name and fingerprint, in the order its files list them. */
export function namedCapabilities(capabilities: Capabilities | null | undefined): NamedCapability[] {
  if (!capabilities) return [];
  const out: NamedCapability[] = [];
  const ranks = new Map<string, number>();
  for (const hook of capabilities.hooks ?? []) {
    const slot = hookId(hook, 1);
    const rank = (ranks.get(slot) ?? 0) + 1;
    ranks.set(slot, rank);
    out.push({ id: hookId(hook, rank), fingerprint: hookFingerprint(hook), kind: "hook", hook });
  }
  for (const server of capabilities.mcpServers ?? []) out.push({ id: serverId(server), fingerprint: serverFingerprint(server), kind: "mcp-server", server });
  const tools = capabilities.tools;
  if (tools && (tools.beyondDefaults.length > 0 || tools.disableModelInvocation === false)) {
    out.push({ id: "tools", fingerprint: fingerprintOf(["tools", [...tools.beyondDefaults].sort(), tools.disableModelInvocation === true]), kind: "tools" });
  }
  for (const name of capabilities.bin ?? []) out.push({ id: `bin:${name}`, fingerprint: fingerprintOf(["bin", name]), kind: "bin" });
  return out;
}

/** How a person may write a capability's name: as listed, or with its kind in any case (`sessionstart`, `MCP:GitHub`). */
export function findCapability(named: readonly NamedCapability[], wanted: string): NamedCapability | null {
  const typed = wanted.trim().replace(/^`|`$/g, "");
  return named.find((c) => c.id === typed) ?? named.find((c) => c.id.toLowerCase() === typed.toLowerCase()) ?? null;
}

/** Approvals by artifact key, for looking up one capability at a time. */
export class Approvals {
  private readonly byKey = new Map<string, AllowEntry[]>();

  constructor(entries: readonly AllowEntry[] = []) {
    for (const entry of entries) this.byKey.set(entry.key, [...(this.byKey.get(entry.key) ?? []), entry]);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The entry that approves this capability of this artifact as it is now, if any. */
  of(key: string, capability: Pick<NamedCapability, "id" | "fingerprint">): AllowEntry | null {
    return this.byKey.get(key)?.find((e) => e.capability === capability.id && e.fingerprint === capability.fingerprint) ?? null;
  }
}
