import { describeJsonType } from "../_shared/describe-json-type.js";
import { isObject } from "../../manifest/json.js";
import { always, type Rule } from "../types.js";

/** The remote source kinds a marketplace entry may use, and the fields each needs. */
const SOURCE_KINDS: Record<string, string[]> = { github: ["repo"], url: ["url"], "git-subdir": ["url", "path"], npm: ["package"] };
const SHA = /^[0-9a-f]{40}$/;

export const marketplaceSource: Rule = {
  id: "marketplace/source",
  description: "Each plugin entry's `source` is a path starting with `./` that never climbs out with `..`, or an object of a known kind with what it needs: github (`repo`), url (`url`), git-subdir (`url`, `path`), npm (`package`); a `sha` is a full 40-character lowercase commit hash.",
  types: ["marketplace"],
  reason: "invalid_field",
  severity: always("error"),
  fix: "Write `\"source\": \"./plugins/name\"` for a folder in this repository, or `{\"source\": \"github\", \"repo\": \"owner/name\"}` for another repository; pin with the full 40-character `sha`.",
  example: { file: ".claude-plugin/marketplace.json", line: 5, column: 33, message: "The source \"plugins/pdf\" must start with \"./\" (relative to the marketplace root): \"./plugins/pdf\"." },
  check({ json, report }) {
    if (!json || !isObject(json.value) || !Array.isArray(json.value.plugins)) return;
    json.value.plugins.forEach((entry, i) => {
      if (!isObject(entry) || !("source" in entry)) return;
      const source = entry.source;
      const at = ["plugins", i, "source"];
      if (typeof source === "string") {
        if (!source.startsWith("./") && source !== ".") {
          report({ message: `The source ${JSON.stringify(source)} must start with "./" (relative to the marketplace root): ${JSON.stringify(`./${source.replace(/^\/+/, "")}`)}.`, span: json.locate(at) });
        } else if (source.split("/").includes("..")) {
          report({ message: `The source ${JSON.stringify(source)} contains "..": plugin sources resolve inside the marketplace root; move the plugin inside it.`, span: json.locate(at) });
        }
        return;
      }
      if (!isObject(source)) {
        report({ message: `\`source\` must be a path such as "./plugins/x" or an object such as {"source": "github", "repo": "owner/name"}, not ${describeJsonType(source)}.`, span: json.locate(at) });
        return;
      }
      const kind = source.source;
      const needs = typeof kind === "string" ? SOURCE_KINDS[kind] : undefined;
      if (!needs) {
        report({ message: `The source kind ${describeJsonType(kind)} is not one Claude Code knows; use ${Object.keys(SOURCE_KINDS).map((k) => JSON.stringify(k)).join(", ")}.`, span: json.locate([...at, "source"]) });
        return;
      }
      for (const field of needs) {
        if (typeof source[field] !== "string" || source[field] === "") {
          report({ message: `A ${kind} source needs \`${field}\` as text${field in source ? `, not ${describeJsonType(source[field])}` : ""}.`, span: json.locate(field in source ? [...at, field] : at, field in source ? "value" : "key") });
        }
      }
      if (typeof source.path === "string" && source.path.split("/").includes("..")) {
        report({ message: `The source path ${JSON.stringify(source.path)} contains ".."; Claude Code refuses it.`, span: json.locate([...at, "path"]) });
      }
      if ("sha" in source && !(typeof source.sha === "string" && SHA.test(source.sha))) {
        report({ message: `\`sha\` must be a full 40-character lowercase commit hash, not ${describeJsonType(source.sha)}.`, span: json.locate([...at, "sha"]) });
      }
    });
  },
};
