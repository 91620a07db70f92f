/**
 * Writes docs/rules.md from the rule registry: `npm run build && node lib/scripts/generate-rules-doc.js`.
 * A test fails when the committed file differs from what this produces.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PROFILES, type ArtifactType } from "../src/model.js";
import { RULES } from "../src/rules/registry.js";
import { ruleAnchor } from "../src/rules/help.js";
import type { Rule } from "../src/rules/types.js";

export function renderRulesDoc(rules: readonly Rule[] = RULES): string {
  const lines = [
    "# Rules",
    "",
    "<!-- Generated from src/rules/registry.ts by scripts/generate-rules-doc.ts; do not edit by hand. -->",
    "",
    "Every check skilldex runs, in the order it runs them. Each rule has a stable id, a severity in each",
    "profile (`error` fails the artifact; `warning` and `notice` never do) and, where a reference treats",
    "one artifact type differently, a severity for that type.",
    "",
    "- `claude-code` (the default) fails exactly what Claude Code refuses. The reference is Claude Code",
    "  **2.1.330**: its `claude plugin validate --json`, plus what its loader skips at run time (project",
    "  subagents without a name or description).",
    "- `agentskills` follows the Agent Skills specification to the letter: a skill passes exactly when the",
    "  specification's reference validator, skills-ref 0.1.0 (with StrictYAML), accepts it.",
    "",
    "## Setting a rule's level",
    "",
    "`.github/skilldex.yml` can set any rule to `error`, `warning`, `notice` or `\"off\"` (quote `off`:",
    "YAML 1.1 readers take it for false). A rule set to `error` fails the artifacts it finds something in;",
    "`off` does not run it, so its findings are gone. `overrides:` sets levels for the artifacts whose",
    "folder, file or manifest a glob matches (picomatch globs, relative to the scanned folder); overrides apply",
    "after `rules:`, in order, and the last one that matches wins, as in ESLint's flat config:",
    "",
    "```yaml",
    "rules:",
    "  skill/allowed-fields: \"off\"",
    "  skill/name-matches-directory: error",
    "overrides:",
    "  - files: [\"legacy/**\"]",
    "    rules: { agent/name-required: warning }",
    "```",
    "",
    "An unknown rule id or level is an error at its line and column, with the nearest id or level. The",
    "JSON report lists the levels set under `settings`, with how many artifacts each override matched.",
    "",
    "To adopt skilldex in a repository that already has findings, `skilldex baseline` writes them to",
    "`.github/skilldex-baseline.json`; later scans report those findings apart (`baselined` on each",
    "artifact) and fail only on new ones, and list the entries no finding matches any more as fixed",
    "(`baseline.fixed`); `skilldex baseline --prune` drops those. A finding is matched by its rule, its",
    "artifact's key and a fingerprint of its file and message, so it stays matched when lines move.",
    "The Action takes `only-new: true` to fail only on findings the baseline does not hold.",
    "",
    "## Every rule",
    "",
    "| id | applies to | claude-code | agentskills |",
    "|---|---|---|---|",
    ...rules.map((r) => `| [\`${r.id}\`](#${ruleAnchor(r.id)}) | ${r.types.join(", ")} | ${severities(r, "claude-code")} | ${severities(r, "agentskills")} |`),
    "",
  ];
  for (const rule of rules) {
    lines.push(`## \`${rule.id}\``, "", rule.description, "");
    lines.push(`- Applies to: ${rule.types.join(", ")}`);
    for (const profile of PROFILES) lines.push(`- \`${profile}\`: ${severities(rule, profile)}`);
    if (rule.fixable) lines.push(`- \`skilldex fix\` repairs some of its findings: ${rule.fixable === "safe" ? "a safe fix, applied by default" : "a suggested fix, applied with `--suggested`"}`);
    lines.push(`- Reason code when it fails an artifact: \`${rule.reason}\``, "", `**How to fix it.** ${rule.fix}`, "", "Example finding:", "", "```text");
    lines.push(`${rule.example.file}:${rule.example.line}:${rule.example.column} ${rule.id} ${rule.example.message}`, "```", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function severities(rule: Rule, profile: (typeof PROFILES)[number]): string {
  const overrides = Object.entries(rule.severityByType ?? {})
    .filter(([, byProfile]) => byProfile?.[profile] !== undefined && byProfile[profile] !== rule.severity[profile])
    .map(([type, byProfile]) => `${type as ArtifactType}: ${byProfile?.[profile]}`);
  return overrides.length === 0 ? rule.severity[profile] : `${rule.severity[profile]} (${overrides.join("; ")})`;
}


if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? "docs/rules.md");
  writeFileSync(out, renderRulesDoc());
  console.log(`wrote ${out}`);
}
