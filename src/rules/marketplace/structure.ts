import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

export const marketplaceStructure: Rule = {
  id: "marketplace/structure",
  description: "marketplace.json has a `name`, an `owner` with a `name`, and a `plugins` array whose entries each have a unique `name` and a `source`.",
  types: ["marketplace"],
  reason: "missing_metadata",
  severity: always("error"),
  fix: "Give the marketplace `\"name\"`, `\"owner\": {\"name\": ...}` and a `\"plugins\"` list whose entries each have a unique `\"name\"` and a `\"source\"`.",
  example: { file: ".claude-plugin/marketplace.json", line: 5, column: 15, message: "The plugin name \"pdf\" is listed twice (entries 1 and 2); Claude Code refuses both." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const root = json.value;
    if (typeof root.name !== "string" || root.name.trim() === "") {
      report({
        message: "name" in root ? `\`name\` must be non-empty text, not ${describeJsonType(root.name)}.` : "marketplace.json has no `name`.",
        span: json.locate(["name"]),
        reason: "name" in root ? "invalid_field" : "missing_metadata",
      });
    }
    if (!isObject(root.owner) || typeof root.owner.name !== "string" || root.owner.name.trim() === "") {
      report({
        message: isObject(root.owner) ? "`owner` needs a `name`." : "marketplace.json needs an `owner` object with a `name`.",
        span: json.locate(["owner", "name"]),
      });
    }
    if (!Array.isArray(root.plugins)) {
      report({
        message: "plugins" in root ? `\`plugins\` must be an array, not ${describeJsonType(root.plugins)}.` : "marketplace.json has no `plugins` array.",
        span: json.locate(["plugins"]),
        reason: "invalid_structure",
      });
      return;
    }
    const byName = new Map<string, number[]>();
    root.plugins.forEach((entry, i) => {
      if (isObject(entry) && typeof entry.name === "string" && entry.name.trim() !== "") byName.set(entry.name, [...(byName.get(entry.name) ?? []), i]);
    });
    root.plugins.forEach((entry, i) => {
      if (!isObject(entry)) {
        report({ message: `Each plugin entry must be an object, not ${describeJsonType(entry)}.`, span: json.locate(["plugins", i]), reason: "invalid_structure" });
        return;
      }
      const copies = typeof entry.name === "string" ? (byName.get(entry.name) ?? []) : [];
      if (typeof entry.name !== "string" || entry.name.trim() === "") {
        report({ message: "This plugin entry has no `name`.", span: json.locate(["plugins", i, "name"]) });
      } else if (copies.length > 1) {
        // Claude Code reports every copy, so each is fixed where it stands.
        report({
          message: `The plugin name ${JSON.stringify(entry.name)} is listed ${copies.length} times (entries ${copies.map((c) => c + 1).join(" and ")}); Claude Code refuses each copy.`,
          span: json.locate(["plugins", i, "name"]),
          reason: "invalid_field",
        });
      }
      if (!("source" in entry)) {
        report({ message: `The plugin ${JSON.stringify(entry.name ?? i + 1)} has no \`source\`.`, span: json.locate(["plugins", i]) });
      }
    });
  },
};
