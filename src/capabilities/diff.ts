import { Approvals, namedCapabilities, type NamedCapability } from "./approvals.js";
import type { Capabilities, CapabilityChange, HookCapability, McpServerCapability } from "./types.js";

type Change = CapabilityChange["change"];

/**
 * What each artifact gained, widened and lost between the base and now, by key. A key absent on
 * one side has nothing there; an artifact's hooks are matched by event and matcher, its servers
 * by name, so a changed command is one change, not a removal and an addition. Each change names
 * its capability as `skilldex allow` takes it; an addition or widening that the approvals cover
 * as it is now says who approved it.
 */
export function capabilityChanges(base: ReadonlyMap<string, Capabilities | null>, now: ReadonlyMap<string, Capabilities | null>, approvals: Approvals = new Approvals()): CapabilityChange[] {
  const out: CapabilityChange[] = [];
  const keys = [...new Set([...base.keys(), ...now.keys()])].sort();
  for (const key of keys) {
    const before = base.get(key) ?? null;
    const after = now.get(key) ?? null;
    const named = new Map<unknown, NamedCapability>();
    for (const [side, capabilities] of [["before", before], ["after", after]] as const) {
      for (const c of namedCapabilities(capabilities)) named.set(c.hook ?? c.server ?? `${side}\u0000${c.id}`, c);
    }
    const push: Push = (change, kind, what, effects, subject) => {
      const capability = named.get(subject);
      const item: CapabilityChange = { key, change, kind, what, effects };
      if (capability) item.capability = capability.id;
      const approval = capability && change !== "removed" ? approvals.of(key, capability) : null;
      if (approval) item.approved = { by: approval.by, at: approval.at, ref: approval.ref, commit: approval.commit };
      out.push(item);
    };
    hookChanges(before?.hooks ?? [], after?.hooks ?? [], push);
    serverChanges(before?.mcpServers ?? [], after?.mcpServers ?? [], push);
    toolChanges(before?.tools, after?.tools, push);
    const binBefore = new Set(before?.bin ?? []);
    const binAfter = new Set(after?.bin ?? []);
    for (const name of binAfter) if (!binBefore.has(name)) push("added", "bin", `\`${name}\` on PATH`, ["runs from any shell the agent opens"], `after\u0000bin:${name}`);
    for (const name of binBefore) if (!binAfter.has(name)) push("removed", "bin", `\`${name}\` on PATH`, [], `before\u0000bin:${name}`);
  }
  return out;
}

/** `subject` is the hook or server object the change is about, or `<side>\0<id>` for tools and bin. */
type Push = (change: Change, kind: CapabilityChange["kind"], what: string, effects: string[], subject: unknown) => void;

/** What a hook may do, for the reviewer: network, package install, writes, the programs it runs. */
export function hookEffects(hook: HookCapability): string[] {
  const effects: string[] = [];
  if (hook.network) effects.push("network");
  if (hook.packageInstall) effects.push("package install");
  for (const path of hook.writesOutsideProject) effects.push(`writes ${path}`);
  return effects;
}

export function describeHook(hook: HookCapability): string {
  const on = hook.matcher ? ` on \`${hook.matcher}\`` : "";
  const verb = hook.type === "command" ? "runs" : hook.type === "http" ? "posts to" : hook.type === "mcp_tool" ? "calls" : `asks ${hook.type === "agent" ? "an agent" : "the model"}`;
  return `${hook.event} ${hook.type === "command" ? "" : `${hook.type} `}hook${on}${hook.runs ? ` that ${verb} \`${shorten(hook.runs)}\`` : ""}`;
}

function hookChanges(before: HookCapability[], after: HookCapability[], push: Push): void {
  const slot = (h: HookCapability): string => `${h.event}\u0000${h.matcher ?? ""}\u0000${h.type}`;
  const unmatched = [...before];
  const kept: HookCapability[] = [];
  for (const hook of after) {
    const same = unmatched.findIndex((b) => slot(b) === slot(hook) && b.runs === hook.runs);
    if (same !== -1) {
      unmatched.splice(same, 1);
      kept.push(hook);
    }
  }
  for (const hook of after) {
    if (kept.includes(hook)) continue;
    const was = unmatched.findIndex((b) => slot(b) === slot(hook));
    if (was === -1) {
      push("added", "hook", describeHook(hook), hookEffects(hook), hook);
      continue;
    }
    const old = unmatched.splice(was, 1)[0] as HookCapability;
    const oldEffects = new Set(hookEffects(old));
    const grown = hookEffects(hook).filter((e) => !oldEffects.has(e));
    const programs = hook.executables.filter((e) => !old.executables.includes(e));
    push("widened", "hook", `${describeHook(hook)} (was \`${shorten(old.runs ?? "")}\`)`, [...grown, ...programs.map((p) => `runs ${p}`)], hook);
  }
  for (const hook of unmatched) push("removed", "hook", describeHook(hook), [], hook);
}

export function describeServer(server: McpServerCapability): string {
  const reaches = server.url !== null ? `connects to ${server.host ?? server.url}` : server.command !== null ? `starts \`${shorten([server.command, ...server.args].join(" "))}\`` : "";
  return `MCP server \`${server.name}\` (${server.transport})${reaches ? ` that ${reaches}` : ""}`;
}

export function serverEffects(server: McpServerCapability): string[] {
  const effects: string[] = [];
  if (server.url !== null) effects.push("network");
  if (server.command !== null && /^(?:npx|bunx|pnpx|uvx|pipx|docker)$/.test(server.command)) effects.push("network", "package install");
  if (server.env.length > 0) effects.push(`reads ${server.env.map((v) => `$${v}`).join(", ")}`);
  return [...new Set(effects)];
}

function serverChanges(before: McpServerCapability[], after: McpServerCapability[], push: Push): void {
  for (const server of after) {
    const old = before.find((b) => b.name === server.name);
    if (!old) {
      push("added", "mcp-server", describeServer(server), serverEffects(server), server);
      continue;
    }
    const grown: string[] = [];
    if (server.host !== old.host && server.host !== null) grown.push(`now reaches ${server.host}`);
    if (server.command !== old.command || server.args.join("\u0000") !== old.args.join("\u0000")) grown.push("runs another command");
    if (server.transport !== old.transport) grown.push(`transport ${old.transport} → ${server.transport}`);
    const newEnv = server.env.filter((v) => !old.env.includes(v));
    if (newEnv.length > 0) grown.push(`reads ${newEnv.map((v) => `$${v}`).join(", ")}`);
    if (grown.length > 0) push("widened", "mcp-server", describeServer(server), grown, server);
  }
  for (const server of before) if (!after.some((a) => a.name === server.name)) push("removed", "mcp-server", describeServer(server), [], server);
}

function toolChanges(before: Capabilities["tools"], after: Capabilities["tools"], push: Push): void {
  const was = new Set(before?.beyondDefaults ?? []);
  const added = (after?.beyondDefaults ?? []).filter((t) => !was.has(t));
  const invocable = before?.disableModelInvocation === true && after?.disableModelInvocation !== true;
  const model = after?.model && after.model !== (before?.model ?? null) ? [`model ${after.model}`] : [];
  if (added.length > 0 || invocable) {
    const change: Change = before && before.beyondDefaults.length > 0 ? "widened" : "added";
    push(change, "tools", added.length > 0 ? `tools without asking: ${added.map((t) => `\`${t}\``).join(", ")}` : "the model may now invoke it on its own", [...(invocable && added.length > 0 ? ["the model may invoke it on its own"] : []), ...model], "after\u0000tools");
  }
  const now = new Set(after?.beyondDefaults ?? []);
  const gone = [...was].filter((t) => !now.has(t));
  if (gone.length > 0) push("removed", "tools", `tools without asking: ${gone.map((t) => `\`${t}\``).join(", ")}`, [], "before\u0000tools");
}

/** A command cut to a length a line can hold. */
function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ").trim().replace(/`/g, "'");
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}
