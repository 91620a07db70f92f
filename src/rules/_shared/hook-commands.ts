import { commandEffects, type CommandEffects } from "../../capabilities/command.js";
import { hookEntries } from "../../capabilities/entries.js";
import type { Span } from "../../parse/position.js";
import type { Rule, RuleContext } from "../types.js";
import { spanInString } from "./string-span.js";

/** What one rule finds in one hook command: the part it points at and its sentence. */
export interface CommandFinding {
  /** Text of the command to point at; the whole command when absent or not found. */
  at?: string;
  message: string;
}

/**
 * A rule about what command hooks run, in hooks files, `.claude/settings.json` and hooks written
 * inline in plugin.json: `find` is given each command's effects and says what to report.
 */
export function commandHookRule(
  rule: Pick<Rule, "id" | "description" | "fix" | "example" | "severity" | "reason"> & { find(effects: CommandEffects, where: string): CommandFinding[] },
): Rule {
  const { find, ...rest } = rule;
  return {
    ...rest,
    types: ["hook", "plugin"],
    check({ artifact, json, report }: RuleContext) {
      if (!json) return;
      for (const { event, matcher, hook, path } of hookEntries(artifact.type, json)) {
        if (hook.type !== "command" || typeof hook.command !== "string") continue;
        const command = hook.command;
        // Exec form runs `command` with `args` and no shell: the words are read as one line.
        const text = Array.isArray(hook.args) ? [command, ...hook.args.filter((a) => typeof a === "string")].join(" ") : command;
        const where = `The ${event} hook${matcher ? ` for ${JSON.stringify(matcher)}` : ""}`;
        for (const finding of find(commandEffects(text), where)) {
          const start = finding.at === undefined ? -1 : command.indexOf(finding.at);
          const span: Span = start === -1 ? json.locate([...path, "command"]) : spanInString(json, [...path, "command"], command, start, start + (finding.at as string).length);
          report({ message: finding.message, span });
        }
      }
    },
  };
}
