import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { spanOffsets, withFix } from "../_shared/fix-text.js";
import { always, type Rule, type RuleFix } from "../types.js";
import type { Span } from "../../parse/position.js";
import { componentPaths } from "../../manifest/plugin.js";

export const pluginComponentPaths: Rule = {
  id: "plugin/component-paths",
  description: "Component paths in plugin.json (`commands`, `agents`, `skills`, `hooks`, `mcpServers`, `outputStyles`, `lspServers`, `monitors`) are text starting with `./`, never climb out with `..`, and have the right extension: `.md` for agents, `.json` for hooks, MCP, LSP server and monitor files.",
  types: ["plugin"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Write paths relative to the plugin folder, starting with `./`: `\"agents\": [\"./agents/reviewer.md\"]`, `\"hooks\": \"./hooks/extra.json\"`.",
  fixable: "safe",
  example: { file: ".claude-plugin/plugin.json", line: 3, column: 15, message: "The commands path \"cmds/deploy.md\" must start with \"./\" (relative to the plugin folder): \"./cmds/deploy.md\"." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    for (const { field, extension, path, value } of componentPaths(json.value)) {
      // Positions are found in the text on first use: only a finding asks for one.
      const span = (): Span => json.locate(path);
      if (typeof value !== "string") {
        report({ message: `Each \`${field}\` entry must be a path such as "./${field}/x", not ${describeJsonType(value)}.`, span: span() });
      } else if (field === "mcpServers" && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        continue;
      } else if (!value.startsWith("./")) {
        const fix = value.replace(/^\/+/, "") === "" || value.split("/").includes("..") ? undefined : addDotSlash(span());
        report({ message: `The ${field} path ${JSON.stringify(value)} must start with "./" (relative to the plugin folder): ${JSON.stringify(`./${value.replace(/^\/+/, "")}`)}.`, span: span(), ...withFix(fix) });
      } else if (value.split("/").includes("..")) {
        report({ message: `The ${field} path ${JSON.stringify(value)} contains "..", which Claude Code refuses as a path traversal; keep components inside the plugin folder.`, span: span() });
      } else if (extension && !value.endsWith(extension)) {
        report({ message: `The ${field} path ${JSON.stringify(value)} must end with "${extension}"${field === "agents" ? " (list each agent file; a folder is not accepted)" : ""}.`, span: span() });
      }
    }
  },
};

/**
 * `"./"` in place of any leading slashes, just inside the string's opening quote. Claude Code
 * refuses the path as written, so the fix only makes the component it names loadable.
 */
function addDotSlash(span: Span): RuleFix {
  return {
    level: "safe",
    edits(text) {
      const { start, end } = spanOffsets(text, span);
      const slashes = /^"(\/*)/.exec(text.slice(start, end));
      return slashes ? [{ start: start + 1, end: start + 1 + (slashes[1] as string).length, text: "./" }] : [];
    },
  };
}
