/**
 * What an artifact lets an agent do, read from its files alone. Part of the JSON report
 * (`skilldex/report@1`, additive): each artifact result may carry `capabilities`, and a report
 * with a base lists `capabilityChanges`.
 */
export interface Capabilities {
  /** Hooks: each one Claude Code runs, by event. */
  hooks?: HookCapability[];
  /** MCP servers: each one Claude Code starts or connects to. */
  mcpServers?: McpServerCapability[];
  /** Skills, commands and agents: the tools and model their frontmatter asks for. */
  tools?: ToolCapability;
  /** Plugins: the names their `bin/` folder puts on PATH. */
  bin?: string[];
}

export interface HookCapability {
  event: string;
  /** The group's matcher; null matches everything. */
  matcher: string | null;
  /** `command`, `http`, `prompt`, `agent` or `mcp_tool`. */
  type: string;
  /** The command line as written, for a command hook; the URL for an http hook; the server and tool for an mcp_tool hook. */
  runs: string | null;
  /** The programs the command starts. */
  executables: string[];
  /** It reaches the network (downloads, clones, package installs, an http hook). */
  network: boolean;
  /** It runs a package manager's install. */
  packageInstall: boolean;
  /** Paths outside the project it writes to. */
  writesOutsideProject: string[];
}

export interface McpServerCapability {
  name: string;
  /** `stdio`, `http`, `sse`, `ws`, … */
  transport: string;
  /** For a local server: what it starts. */
  command: string | null;
  args: string[];
  /** For a remote server: where it connects. */
  url: string | null;
  host: string | null;
  /** Environment variables it is given or reads through `${VAR}`, by name. */
  env: string[];
}

export interface ToolCapability {
  /** `allowed-tools` (skills, commands) or `tools` (agents) as listed; null when the field is absent. */
  allowedTools: string[] | null;
  model: string | null;
  disableModelInvocation: boolean | null;
  /** Listed tools past the read-only ones Claude Code allows without asking. */
  beyondDefaults: string[];
}

/** One capability an artifact gained, widened or lost against the base. */
export interface CapabilityChange {
  key: string;
  change: "added" | "widened" | "removed";
  /** `hook`, `mcp-server`, `tools` or `bin`. */
  kind: "hook" | "mcp-server" | "tools" | "bin";
  /** The capability in a few words: "SessionStart hook that runs `npm install`". */
  what: string;
  /** What it may do that a reviewer weighs: `network`, `package install`, `writes ~/.zshrc`, `Bash`. */
  effects: string[];
  /** The capability's name as `skilldex allow` and `/skilldex allow` take it: `SessionStart`, `mcp:github`, `tools`. */
  capability?: string;
  /** Present when an entry of the settings file's `allow:` approves the capability exactly as it is now. */
  approved?: CapabilityApproval;
}

/** Who approved a capability, when, where and at which commit, as its `allow:` entry says. */
export interface CapabilityApproval {
  by: string | null;
  at: string | null;
  ref: string | null;
  commit: string | null;
}
