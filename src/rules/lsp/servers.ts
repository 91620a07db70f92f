import type { JsonPath } from "../../parse/json.js";
import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

export const lspServers: Rule = {
  id: "lsp/servers",
  description: "Each LSP server (a plugin's `.lsp.json` is a map of server names; plugin.json's `lspServers`, or a `strict: false` marketplace entry's, may hold the same map inline) has a `command` and an `extensionToLanguage` map. Claude Code's loader fails the plugin's components on a server without them.",
  types: ["lsp", "plugin"],
  reason: "invalid_structure",
  severity: always("error"),
  fix: "Write `{\"gopls\": {\"command\": \"gopls\", \"extensionToLanguage\": {\".go\": \"go\"}}}`; in .lsp.json the server names are the top-level keys.",
  example: { file: ".lsp.json", line: 2, column: 3, message: "The LSP server \"gopls\" has no `extensionToLanguage`; Claude Code's loader refuses it." },
  check({ artifact, json, report }) {
    if (!json || !isObject(json.value)) return;
    const maps: { value: Record<string, unknown>; at: JsonPath }[] = [];
    if (artifact.type === "lsp") {
      // Written inline (a `strict: false` marketplace entry's `lspServers`), or a whole .lsp.json.
      const at = artifact.definedAt ?? [];
      const value = at.reduce<unknown>((v, step) => (isObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[step] : undefined), json.value);
      if (isObject(value)) maps.push({ value, at });
    } else {
      const inline = json.value.lspServers;
      if (isObject(inline)) maps.push({ value: inline, at: ["lspServers"] });
      else if (Array.isArray(inline)) inline.forEach((item, i) => isObject(item) && maps.push({ value: item, at: ["lspServers", i] }));
    }
    for (const { value, at } of maps) {
      for (const [name, server] of Object.entries(value)) {
        const path: JsonPath = [...at, name];
        const label = JSON.stringify(name);
        if (artifact.type === "lsp" && artifact.definedAt === undefined && name === "lspServers") {
          report({ message: "`lspServers` at the top of .lsp.json is read as a server's name: .lsp.json is itself the map of servers, so move its servers up one level.", span: json.locate(path, "key") });
          continue;
        }
        if (!isObject(server)) {
          report({ message: `The LSP server ${label} must be an object, not ${describeJsonType(server)}.`, span: json.locate(path) });
          continue;
        }
        if (typeof server.command !== "string" || server.command.trim() === "") {
          report({ message: "command" in server ? `The LSP server ${label}'s \`command\` must be non-empty text, not ${describeJsonType(server.command)}.` : `The LSP server ${label} has no \`command\`; Claude Code's loader refuses it.`, span: json.locate("command" in server ? [...path, "command"] : path, "command" in server ? "value" : "key") });
        } else if (server.command.includes(" ") && !server.command.startsWith("/")) {
          report({ message: `The LSP server ${label}'s \`command\` ${JSON.stringify(server.command)} holds a space; Claude Code's loader refuses it: put the arguments in \`args\`.`, span: json.locate([...path, "command"]) });
        }
        const languages = server.extensionToLanguage;
        if (!isObject(languages) || Object.keys(languages).length === 0) {
          report({ message: "extensionToLanguage" in server ? `The LSP server ${label}'s \`extensionToLanguage\` must map file extensions to languages, such as {".go": "go"}, not ${isObject(languages) ? "an empty object" : describeJsonType(languages)}.` : `The LSP server ${label} has no \`extensionToLanguage\`; Claude Code's loader refuses it.`, span: json.locate("extensionToLanguage" in server ? [...path, "extensionToLanguage"] : path, "extensionToLanguage" in server ? "value" : "key") });
        } else {
          for (const [extension, language] of Object.entries(languages)) {
            if (extension.startsWith(".") && typeof language === "string" && language !== "") continue;
            report({ message: `The LSP server ${label} maps ${JSON.stringify(extension)} to ${describeJsonType(language)}; each key is a file extension starting with "." and each value a language id.`, span: json.locate([...path, "extensionToLanguage", extension], "key") });
          }
        }
        for (const [field, value] of Object.entries(server)) {
          const problem = fieldProblem(field, value);
          if (problem) report({ message: `The LSP server ${label}'s \`${field}\` ${problem}; Claude Code's loader refuses the server.`, span: json.locate([...path, field], KNOWN_FIELDS.has(field) ? "value" : "key") });
        }      }
    }
  },
};

const KNOWN_FIELDS = new Set(["command", "args", "extensionToLanguage", "transport", "env", "initializationOptions", "settings", "workspaceFolder", "startupTimeout", "shutdownTimeout", "requestTimeout", "restartOnCrash", "maxRestarts", "diagnostics"]);

/** What is wrong with one field of a server beyond `command` and `extensionToLanguage`, as Claude Code 2.1.330's schema reads it. */
function fieldProblem(field: string, value: unknown): string | null {
  const positive = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  switch (field) {
    case "command":
    case "extensionToLanguage":
    case "initializationOptions":
    case "settings":
      return null;
    case "args":
      return Array.isArray(value) && value.every((a) => typeof a === "string") ? null : `must be a list of text, not ${describeJsonType(value)}`;
    case "transport":
      return value === "stdio" || value === "socket" ? null : `must be "stdio" or "socket", not ${describeJsonType(value)}`;
    case "env":
      return isObject(value) && Object.values(value).every((v) => typeof v === "string") ? null : "must map variable names to text";
    case "workspaceFolder":
      return typeof value === "string" ? null : `must be text, not ${describeJsonType(value)}`;
    case "startupTimeout":
    case "shutdownTimeout":
    case "requestTimeout":
      return positive(value) ? null : `must be a positive whole number of milliseconds, not ${describeJsonType(value)}`;
    case "maxRestarts":
      return Number.isInteger(value) && (value as number) >= 0 ? null : `must be a whole number, not ${describeJsonType(value)}`;
    case "restartOnCrash":
    case "diagnostics":
      return typeof value === "boolean" ? null : `must be true or false, not ${describeJsonType(value)}`;
    default:
      return "is not a field Claude Code knows";
  }
}
