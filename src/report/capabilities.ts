import { describeHook, describeServer, hookEffects, serverEffects } from "../capabilities/diff.js";
import type { CapabilityChange } from "../capabilities/types.js";
import type { ArtifactResult, Report } from "../model.js";
import { escapeControls } from "../parse/text.js";
import type { Section } from "./fit.js";

export const CHANGES_HEADING = "### What this change lets agents do";

const VERBS: Record<CapabilityChange["change"], string> = { added: "adds", widened: "widens", removed: "removes" };

/** Where an artifact stands, in words: "plugin `x`", "the project's settings", "skill `p/pdf`". */
function placeOf(key: string): string {
  const colon = key.indexOf(":");
  const type = key.slice(0, colon);
  const name = key.slice(colon + 1);
  if (name === "project" && (type === "hook" || type === "mcp")) return type === "hook" ? "the project's settings" : "the project's `.mcp.json`";
  if (type === "hook" || type === "mcp" || type === "plugin") return `plugin \`${name}\``;
  return `${type} \`${name}\``;
}

/** One change as a reviewer reads it: "adds a SessionStart hook in plugin `x` that runs `npm install` — network, package install". */
export function describeCapabilityChange(change: CapabilityChange): string {
  const cut = change.what.indexOf(" that ");
  const [head, tail] = cut === -1 ? [change.what, ""] : [change.what.slice(0, cut), change.what.slice(cut)];
  const article = change.kind === "tools" ? "" : /^[AEIOU]/i.test(head) ? "an " : "a ";
  const verb = change.change === "removed" && change.kind !== "tools" ? "removes the" : `${VERBS[change.change]} ${article}`.trimEnd();
  const line = `${verb} ${head} in ${placeOf(change.key)}${tail}`;
  return escapeControls(`${change.approved ? "approved: " : ""}${change.effects.length > 0 ? `${line} — ${change.effects.join(", ")}` : line}${approvalNote(change)}`);
}

/** Who approved the capability, or the command that approves it, with the names to copy. */
function approvalNote(change: CapabilityChange): string {
  const a = change.approved;
  if (a) return ` (${[a.by ? `by ${a.by}` : null, a.ref ? `in ${a.ref}` : null, a.commit ? `at ${a.commit.slice(0, 7)}` : null].filter(Boolean).join(" ") || "in the allow list"})`;
  if (!change.capability || change.change === "removed") return "";
  return `; approve with \`/skilldex allow ${`${change.key} ${change.capability}`.replace(/`/g, "'")}\``;
}

/**
 * The section "What this change lets agents do" of the check run and the job summary: each
 * capability added, widened and removed since the base, or one line saying there is none.
 * Null without a base.
 */
export function capabilityChangesSection(report: Report): Section | null {
  const changes = report.capabilityChanges;
  if (!report.base || !changes) return null;
  if (changes.length === 0) return { head: `${CHANGES_HEADING}\n\nNo capability added, widened or removed: no new hooks, MCP servers, tools or programs on PATH.` };
  const order = { added: 0, widened: 1, removed: 2 };
  const items = [...changes].sort((a, b) => order[a.change] - order[b.change]).map((c) => `- ${describeCapabilityChange(c)}`);
  return { head: `${CHANGES_HEADING}\n`, items, noun: "capability changes" };
}

/** What each artifact lets an agent do, as `skilldex scan --capabilities` prints it after the report. */
export function renderCapabilities(report: Report): string {
  const lines: string[] = [];
  for (const artifact of report.artifacts) {
    if (!artifact.capabilities) continue;
    lines.push(`${escapeControls(artifact.key)}`, ...capabilityLines(artifact).map((l) => `  ${escapeControls(l)}`));
  }
  if (report.capabilityChanges) {
    lines.push("", "What this change lets agents do:");
    if (report.capabilityChanges.length === 0) lines.push("  nothing added, widened or removed");
    for (const change of report.capabilityChanges) lines.push(`  ${describeCapabilityChange(change)}`);
  }
  return lines.length === 0 ? "Capabilities: no hooks, MCP servers, tool grants or programs on PATH.\n" : `Capabilities:\n${lines.join("\n")}\n`;
}

function capabilityLines(artifact: ArtifactResult): string[] {
  const c = artifact.capabilities ?? {};
  const out: string[] = [];
  for (const hook of c.hooks ?? []) {
    const effects = hookEffects(hook);
    const programs = hook.executables.length > 0 ? ` [${hook.executables.join(", ")}]` : "";
    out.push(`hook: ${describeHook(hook)}${programs}${effects.length > 0 ? ` — ${effects.join(", ")}` : ""}`);
  }
  for (const server of c.mcpServers ?? []) {
    const effects = serverEffects(server);
    out.push(`mcp: ${describeServer(server)}${effects.length > 0 ? ` — ${effects.join(", ")}` : ""}`);
  }
  if (c.tools) {
    const t = c.tools;
    const parts = [
      t.allowedTools !== null ? `tools ${t.allowedTools.length > 0 ? t.allowedTools.join(", ") : "(none)"}` : null,
      t.beyondDefaults.length > 0 ? `beyond read-only: ${t.beyondDefaults.join(", ")}` : null,
      t.model !== null ? `model ${t.model}` : null,
      t.disableModelInvocation !== null ? `disable-model-invocation ${t.disableModelInvocation}` : null,
    ].filter((p): p is string => p !== null);
    out.push(`tools: ${parts.join("; ")}`);
  }
  if (c.bin && c.bin.length > 0) out.push(`bin: puts ${c.bin.join(", ")} on PATH`);
  return out;
}

/** A rendered report with the capabilities after it, when `--capabilities` asks and the format is not JSON (which holds them already). */
export function withCapabilities(rendered: string, report: Report, format: string, asked: boolean): string {
  if (!asked || format === "json" || format === "sarif") return rendered;
  return `${rendered.endsWith("\n") ? rendered : `${rendered}\n`}\n${renderCapabilities(report)}`;
}
