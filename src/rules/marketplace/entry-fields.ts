import { isObject } from "../../manifest/json.js";
import { reportPluginFieldTypes } from "../_shared/plugin-fields.js";
import { always, type Rule } from "../types.js";

export const marketplaceEntryFields: Rule = {
  id: "marketplace/entry-fields",
  description: "A marketplace's plugin entries give plugin fields the types plugin.json needs (`version` text, `author` an object with a `name`, `keywords` a list...).",
  types: ["marketplace"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Write each field as in plugin.json: `\"version\": \"1.0.0\"`, `\"author\": {\"name\": \"...\"}`, `\"keywords\": [\"...\"]`.",
  example: { file: ".claude-plugin/marketplace.json", line: 6, column: 18, message: "`version` must be text, not a number (1)." },
  check({ json, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    json.value.plugins.forEach((entry, i) => {
      if (isObject(entry)) reportPluginFieldTypes(entry, ["plugins", i], json, report);
    });
  },
};
