import { mayListReservedNames } from "../../manifest/marketplace.js";
import { isObject } from "../../manifest/json.js";
import { reservedPluginName, refusedMarketplaceName } from "../_shared/reserved-names.js";
import type { Span } from "../../parse/position.js";
import { always, type Rule } from "../types.js";

export const marketplaceReservedName: Rule = {
  id: "marketplace/reserved-name",
  description: "Names Claude Code refuses: a marketplace named `inline`, `builtin`, `skills-dir`, `synced` or `claude-plugin-test`, with spaces, path separators, non-ASCII letters, or impersonating an official Anthropic marketplace; and plugin entries with names reserved for Anthropic's own plugins (which Anthropic's own marketplaces, such as `claude-plugins-official`, may list).",
  types: ["marketplace"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Name the marketplace and its plugins for what they hold, such as `acme-tools`.",
  example: { file: ".claude-plugin/marketplace.json", line: 2, column: 11, message: "The marketplace name \"claude-official-tools\" impersonates an official Anthropic/Claude marketplace; Claude Code refuses it." },
  check({ json, report }) {
    if (!json || !isObject(json.value)) return;
    const name = json.value.name;
    if (typeof name === "string" && name !== "") {
      const why = refusedMarketplaceName(name);
      if (why) report({ message: `${why}; Claude Code refuses it.`, span: json.locate(["name"]) });
    }
    const plugins = json.value.plugins;
    if (!Array.isArray(plugins)) return;
    const reservedAllowed = mayListReservedNames(name);
    plugins.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.name !== "string" || entry.name === "") return;
      // Positions are found in the text on first use: only a finding asks for one.
      const span = (): Span => json.locate(["plugins", i, "name"]);
      if (entry.name.includes(" ")) {
        report({ message: `The plugin name ${JSON.stringify(entry.name)} has spaces; Claude Code cannot install it. Use kebab-case.`, span: span() });
        return;
      }
      const why = reservedAllowed ? null : reservedPluginName(entry.name);
      if (why) report({ message: `${why}; name it for what it does.`, span: span() });
    });
  },
};
