import { basename } from "../../discover/paths.js";
import { always, type Rule } from "../types.js";

export const agentSkillsExist: Rule = {
  id: "agent/skills-exist",
  description: "Every skill a subagent lists in `skills:` exists in the repository (by folder name, or `plugin:skill` for a plugin's skill).",
  types: ["agent"],
  reason: "broken_reference",
  severity: always("warning"),
  fix: "Correct the skill's name (its folder name), add the skill, or remove it from `skills:`.",
  example: { file: ".claude/agents/reviewer.md", line: 4, column: 9, message: "The skill \"pdf-tool\" listed in `skills:` does not exist in this repository; skills here include \"pdf\"." },
  check({ markdown, scope, report }) {
    const view = markdown?.claude;
    const value = view?.data?.skills;
    if (!view || !scope || value === undefined || value === null) return;
    const listed = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? value.split(",") : [];
    const known = new Set<string>();
    for (const a of scope.artifacts) {
      if (a.type !== "skill") continue;
      known.add(basename(a.path));
      if (a.plugin !== null) known.add(`${a.plugin.slice("plugin:".length)}:${basename(a.path)}`);
    }
    for (const raw of listed) {
      const name = raw.trim();
      if (name === "" || known.has(name)) continue;
      const near = [...known].find((k) => k.startsWith(name.slice(0, 3)));
      report({ message: `The skill ${JSON.stringify(name)} listed in \`skills:\` does not exist in this repository${near ? `; skills here include ${JSON.stringify(near)}` : ""}.`, span: view.locate("skills", "value") });
    }
  },
};
