/** A JavaScript file Claude Code loads (a workflow), kept as text: skilldex never runs it. */
export interface ParsedScript {
  format: "script";
  text: string;
}

export function parseScript(text: string): ParsedScript {
  return { format: "script", text };
}
