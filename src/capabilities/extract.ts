import { isObject } from "../manifest/json.js";
import type { Artifact } from "../model.js";
import type { ParsedJson } from "../parse/json.js";
import type { ParsedMarkdown } from "../parse/markdown.js";
import { commandEffects } from "./command.js";
import { hookEntries, serverEntries, serverTransport } from "./entries.js";
import type { Capabilities, HookCapability, McpServerCapability, ToolCapability } from "./types.js";
import { urlHost } from "./url.js";

/** Tools Claude Code lets an agent use without asking: they only read. */
const READ_ONLY_TOOLS = new Set(["Read", "Glob", "Grep", "LS", "NotebookRead", "TodoRead", "TodoWrite"]);

/**
 * What an artifact lets an agent do, from its parsed manifest and, for a plugin, the other
 * artifacts of the scan (its `bin/` files); null when it grants nothing worth listing.
 */
export function capabilitiesOf(artifact: Artifact, parsed: ParsedJson | ParsedMarkdown | null, binNames: readonly string[] = []): Capabilities | null {
  const out: Capabilities = {};
  if (parsed?.format === "json" && parsed.problems.length === 0) {
    if (artifact.type === "hook" || artifact.type === "plugin") {
      const hooks = hookCapabilities(artifact, parsed);
      if (hooks.length > 0) out.hooks = hooks;
    }
    if (artifact.type === "mcp" || artifact.type === "plugin") {
      const servers = serverEntries(artifact.type, parsed).map(({ name, server }) => serverCapability(name, server));
      if (servers.length > 0) out.mcpServers = servers;
    }
  }
  if (parsed?.format === "markdown" && (artifact.type === "skill" || artifact.type === "command" || artifact.type === "agent")) {
    const tools = toolCapability(artifact, parsed);
    if (tools) out.tools = tools;
  }
  if (artifact.type === "plugin" && binNames.length > 0) out.bin = [...binNames].sort();
  return Object.keys(out).length > 0 ? out : null;
}

function hookCapabilities(artifact: Artifact, json: ParsedJson): HookCapability[] {
  return hookEntries(artifact.type, json).map(({ event, matcher, hook }) => {
    const base = { event, matcher, type: hook.type as string };
    if (hook.type === "command" && typeof hook.command === "string") {
      const text = Array.isArray(hook.args) ? [hook.command, ...hook.args.filter((a): a is string => typeof a === "string")].join(" ") : hook.command;
      const effects = commandEffects(text);
      return { ...base, runs: text, executables: effects.executables, network: effects.network, packageInstall: effects.packageInstalls.length > 0, writesOutsideProject: effects.writesOutsideProject };
    }
    if (hook.type === "http" && typeof hook.url === "string") return { ...base, runs: hook.url, executables: [], network: true, packageInstall: false, writesOutsideProject: [] };
    const runs = hook.type === "mcp_tool" && typeof hook.server === "string" ? `${hook.server}${typeof hook.tool === "string" ? ` ${hook.tool}` : ""}` : null;
    return { ...base, runs, executables: [], network: false, packageInstall: false, writesOutsideProject: [] };
  });
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
/** Set by Claude Code for every server and hook: naming them reads nothing of the user's. */
const CLAUDE_VARIABLES = new Set(["CLAUDE_PLUGIN_ROOT", "CLAUDE_PROJECT_DIR", "CLAUDE_PLUGIN_DATA"]);

function serverCapability(name: string, server: Record<string, unknown>): McpServerCapability {
  const transport = serverTransport(server);
  const args = Array.isArray(server.args) ? server.args.filter((a): a is string => typeof a === "string") : [];
  const url = typeof server.url === "string" ? server.url : null;
  const env = new Set<string>(isObject(server.env) ? Object.keys(server.env) : []);
  const texts = [server.command, ...args, url, ...(isObject(server.env) ? Object.values(server.env) : []), ...(isObject(server.headers) ? Object.values(server.headers) : [])];
  for (const text of texts) {
    if (typeof text !== "string") continue;
    for (const m of text.matchAll(VARIABLE)) {
      const variable = (m[1] ?? m[2]) as string;
      if (!CLAUDE_VARIABLES.has(variable)) env.add(variable);
    }
  }
  return {
    name,
    transport,
    command: typeof server.command === "string" ? server.command : null,
    args,
    url,
    host: url === null ? null : urlHost(url),
    env: [...env].sort(),
  };
}

function toolCapability(artifact: Artifact, markdown: ParsedMarkdown): ToolCapability | null {
  const data = markdown.claude.data;
  if (!data) return null;
  const field = artifact.type === "agent" ? "tools" : "allowed-tools";
  const allowedTools = field in data ? toolList(data[field]) : null;
  const model = typeof data.model === "string" && data.model !== "" && data.model !== "inherit" ? data.model : null;
  const flag = data["disable-model-invocation"];
  const disableModelInvocation = typeof flag === "boolean" ? flag : flag === "true" ? true : flag === "false" ? false : null;
  if (allowedTools === null && model === null && disableModelInvocation === null) return null;
  return { allowedTools, model, disableModelInvocation, beyondDefaults: (allowedTools ?? []).filter((tool) => !READ_ONLY_TOOLS.has(tool)) };
}

/** A tool list as frontmatter writes it: a YAML list, or one string split on commas or spaces outside parentheses. */
export function toolList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === "string").map((t) => t.trim()).filter((t) => t !== "");
  if (typeof value !== "string") return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  // Items are cut out of the text whole: building them a character at a time made a string per character.
  const push = (end: number): void => {
    const item = value.slice(start, end).trim();
    if (item !== "") out.push(item);
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === "," || c === " " || c === "\n")) {
      push(i);
      start = i + 1;
    }
  }
  push(value.length);
  return out;
}
