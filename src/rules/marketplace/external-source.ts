import { always, type Rule } from "../types.js";

/**
 * Fetching happens before any rule runs (with `--external` or the Action's `index-external`), so
 * the scan reports this rule's findings itself; the entry is here so the id is documented and
 * its severity and reason stay in the registry with every other rule's.
 */
export const marketplaceExternalSource: Rule = {
  id: "marketplace/external-source",
  description: "A plugin the marketplace lists from another repository (a github, url or git-subdir source) can be fetched, when external plugins are indexed.",
  types: ["marketplace"],
  reason: "io_error",
  severity: always("error"),
  fix: "Check the repository, URL, ref or sha of the source, and that the token can read it; or skip the plugin with `/skip plugin:<name>`.",
  example: { file: ".claude-plugin/marketplace.json", message: 'The external plugin "formatter" cannot be fetched: acme/formatter has no commit, branch or tag v9.', line: 6, column: 38 },
  check() {},
};
