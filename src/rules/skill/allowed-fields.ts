import { isMap, isScalar, type Node } from "yaml";
import { endOfLine, frontmatterRange, offsetAt, withFix } from "../_shared/fix-text.js";
import type { RuleContext, Rule, RuleFix, TextEdit } from "../types.js";
import { SPEC, specFields } from "../_shared/skill-spec.js";
import type { SpecView } from "../../parse/markdown.js";

export const SPEC_FIELDS = ["allowed-tools", "compatibility", "description", "license", "metadata", "name"];

export const skillAllowedFields: Rule = {
  id: "skill/allowed-fields",
  description: `SKILL.md frontmatter holds only the specification's fields: ${SPEC_FIELDS.map((f) => `\`${f}\``).join(", ")}.`,
  types: ["skill"],
  reason: "invalid_field",
  severity: SPEC,
  fix: "Move other keys under `metadata:` (a mapping of your own keys), or remove them.",
  fixable: "safe",
  example: { file: "skills/pdf/SKILL.md", line: 4, column: 1, message: "The field `version` is not in the specification, which allows only allowed-tools, compatibility, description, license, metadata, name; move it under `metadata:`." },
  check(context) {
    const fields = specFields(context);
    if (!fields) return;
    const unknown = Object.keys(fields.data).filter((key) => !SPEC_FIELDS.includes(key));
    // Claude Code reads fields such as `model` or `user-invocable` at the top level: only the specification's profile moves them.
    const fix = context.profile === "agentskills" ? moveUnderMetadata(context, unknown) : undefined;
    for (const key of unknown) {
      context.report({ message: `The field \`${key}\` is not in the specification, which allows only ${SPEC_FIELDS.join(", ")}; move it under \`metadata:\`.`, span: fields.locate(key), ...withFix(fix && movable(context, key) ? fix : undefined) });
    }
  },
};

/** A one-line `key: value` with a plain or quoted scalar, which reads the same one level down; not a key `metadata` already holds. */
function movable(context: RuleContext, key: string): boolean {
  const spec = context.markdown?.spec as SpecView;
  const node = spec.node(key);
  const metadata = spec.node("metadata");
  if (isMap(metadata) && metadata.has(key)) return false;
  return isScalar(node) && (node.type === "PLAIN" || node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && spec.locate(key).column === 1;
}

/**
 * One fix for every movable field, so each finding offers the same edits: their lines cut, and
 * written indented under `metadata:` (after its last entry, or in a new `metadata:` at the end).
 * Node ranges count from the end of the opening `---`, where the frontmatter's YAML starts.
 */
function moveUnderMetadata(context: RuleContext, keys: string[]): RuleFix | undefined {
  const spec = context.markdown?.spec as SpecView;
  const moving = keys.filter((key) => movable(context, key)).map((key) => ({ key: spec.locate(key), value: spec.node(key) as Node }));
  const metadata = spec.node("metadata");
  const empty = metadata === null || (isScalar(metadata) && metadata.value === null && metadata.source === "");
  if (moving.length === 0 || !(empty || (isMap(metadata) && !metadata.flow && metadata.items.length > 0))) return undefined;
  const metadataKey = metadata === null ? null : spec.locate("metadata");
  return {
    level: "safe",
    edits(text) {
      const range = frontmatterRange(text);
      if (!range) return [];
      const at = (offset: number): number => range.start + offset;
      const cut = moving.map(({ key, value }) => {
        const start = offsetAt(text, key.line, key.column);
        return { start, end: endOfLine(text, at((value.range as [number, number, number])[1])) };
      });
      // Each field is one whole line: it starts a line and its value ends on it.
      if (cut.some((c) => c.start !== text.lastIndexOf("\n", c.start - 1) + 1 || c.end > range.end || text.slice(c.start, c.end).indexOf("\n") !== c.end - c.start - 1)) return [];
      let indent = "  ";
      let insertAt: number;
      let header = "";
      if (metadataKey === null) {
        insertAt = range.end;
        header = `metadata:${text.slice((cut[0] as { end: number }).end - 2).startsWith("\r\n") ? "\r\n" : "\n"}`;
      } else if (isMap(metadata)) {
        const firstKey = at(((metadata.items[0]?.key as Node).range as [number, number, number])[0]);
        indent = text.slice(text.lastIndexOf("\n", firstKey - 1) + 1, firstKey);
        const last = metadata.items[metadata.items.length - 1];
        insertAt = endOfLine(text, at((((last?.value ?? last?.key) as Node).range as [number, number, number])[1]));
      } else {
        insertAt = endOfLine(text, offsetAt(text, metadataKey.endLine, metadataKey.endColumn));
      }
      if (!/^ +$/.test(indent) || insertAt > range.end || text[insertAt - 1] !== "\n") return [];
      const moved = header + cut.map((c) => indent + text.slice(c.start, c.end)).join("");
      const edits: Omit<TextEdit, "file">[] = cut.filter((c) => c.end !== insertAt).map((c) => ({ start: c.start, end: c.end, text: "" }));
      // A cut line that ends where the entries go is replaced by them, so no two edits touch.
      const adjacent = cut.find((c) => c.end === insertAt);
      edits.push(adjacent ? { start: adjacent.start, end: adjacent.end, text: moved } : { start: insertAt, end: insertAt, text: moved });
      return edits.sort((a, b) => a.start - b.start);
    },
  };
}
