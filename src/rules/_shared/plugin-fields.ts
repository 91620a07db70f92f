import type { JsonPath, ParsedJson } from "../../parse/json.js";
import type { RuleFindingInput } from "../types.js";
import { describeJsonType } from "./describe-json-type.js";
import { isObject } from "../../manifest/json.js";

/**
 * The field types of Claude Code's plugin manifest schema, which a marketplace entry shares.
 * Reports each field of the wrong type at its value.
 */
export function reportPluginFieldTypes(manifest: Record<string, unknown>, at: JsonPath, json: ParsedJson, report: (finding: RuleFindingInput) => void): void {
  const wrong = (field: string, expected: string, value: unknown, path: JsonPath = [...at, field]): void =>
    report({ message: `\`${path.slice(at.length).join(".")}\` must be ${expected}, not ${describeJsonType(value)}.`, span: json.locate(path) });
  for (const field of ["version", "description", "repository", "license", "displayName"]) {
    if (field in manifest && typeof manifest[field] !== "string") wrong(field, "text", manifest[field]);
  }
  if ("homepage" in manifest) {
    const homepage = manifest.homepage;
    if (typeof homepage !== "string") wrong("homepage", "a URL", homepage);
    else if (!URL.canParse(homepage)) report({ message: `\`homepage\` must be a full URL such as "https://example.com", not ${JSON.stringify(homepage)}.`, span: json.locate([...at, "homepage"]) });
  }
  if ("author" in manifest) {
    const author = manifest.author;
    if (!isObject(author)) wrong("author", 'an object such as {"name": "Jane Doe", "email": "jane@example.com"}', author);
    else if (typeof author.name !== "string" || author.name === "") wrong("name", "non-empty text", author.name, [...at, "author", "name"]);
  }
  if ("keywords" in manifest) {
    const keywords = manifest.keywords;
    if (!Array.isArray(keywords)) wrong("keywords", 'a list of text such as ["pdf", "documents"]', keywords);
    else keywords.forEach((k, i) => typeof k !== "string" && wrong(String(i), "text", k, [...at, "keywords", i]));
  }
  if ("dependencies" in manifest) {
    const dependencies = manifest.dependencies;
    if (!Array.isArray(dependencies)) wrong("dependencies", 'a list of plugin names or {"name": ...} objects', dependencies);
    else {
      dependencies.forEach((d, i) => {
        if (typeof d !== "string" && !(isObject(d) && typeof d.name === "string")) wrong(String(i), 'a plugin name or a {"name": ...} object', d, [...at, "dependencies", i]);
      });
    }
  }
}

/** The names a manifest or marketplace entry depends on. */
export function dependencyNames(manifest: Record<string, unknown>): string[] {
  const dependencies = manifest.dependencies;
  if (!Array.isArray(dependencies)) return [];
  return dependencies.flatMap((d) => (typeof d === "string" ? [d] : isObject(d) && typeof d.name === "string" ? [d.name] : []));
}
