import { always, type Rule } from "../types.js";

/**
 * External plugins are fetched before the scan (with `--external` or the Action's
 * `index-external`); one that could not be fetched is an artifact of its own, and this rule says
 * why, pointing at the marketplace entry that lists it.
 */
export const marketplaceExternalSource: Rule = {
  id: "marketplace/external-source",
  description: "A plugin the marketplace lists from another repository (a github, url or git-subdir source) can be fetched, when external plugins are indexed.",
  types: ["plugin"],
  reason: "io_error",
  severity: always("error"),
  fix: "Check the repository, URL, ref or sha of the source, and that the token can read it; or skip the plugin with `/skip plugin:<name>`.",
  example: { file: ".claude-plugin/marketplace.json", message: 'The external plugin "formatter" cannot be fetched: acme/formatter has no commit, branch or tag v9.', line: 6, column: 38 },
  check({ artifact, unfetched, scope, report }) {
    if (!unfetched) return;
    const marketplace = scope?.parsed(unfetched.marketplaceFile);
    const span = marketplace?.format === "json" ? marketplace.locate(["plugins", unfetched.index, "source"]) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
    report({ message: `The external plugin ${JSON.stringify(artifact.name)} cannot be fetched: ${unfetched.reason}.`, span, file: unfetched.marketplaceFile });
  },
};
