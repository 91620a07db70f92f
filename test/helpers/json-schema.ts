/**
 * A validator for the subset of JSON Schema that GitHub's request-body schemas for the checks
 * API use. A keyword it does not know is an error, so a regenerated fixture that starts using
 * one cannot pass unchecked.
 */
export type Schema = Record<string, unknown>;

const KNOWN = new Set(["type", "properties", "required", "enum", "default", "format", "maxLength", "maxItems", "items", "anyOf", "additionalProperties"]);

export function validate(schema: Schema, value: unknown, at = "body"): string[] {
  const errors: string[] = [];
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) errors.push(`${at}: the schema uses ${keyword}, which this validator does not check`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length > 0 && !types.some((t) => hasType(value, t))) {
    errors.push(`${at}: expected ${types.join(" or ")}, got ${describe(value)}`);
    return errors;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) errors.push(`${at}: ${[...value].length} characters, more than ${schema.maxLength}`);
    if (schema.format === "date-time" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) errors.push(`${at}: ${value} is not a date-time`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: ${value.length} items, more than ${schema.maxItems}`);
    if (schema.items) value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in value)) errors.push(`${at}: ${name} is required`);
    for (const [name, child] of Object.entries(value)) {
      if (properties[name]) errors.push(...validate(properties[name], child, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: ${name} is not allowed`);
      else if (isObject(schema.additionalProperties)) errors.push(...validate(schema.additionalProperties, child, `${at}.${name}`));
    }
  }
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((option) => validate(option, value, at).length === 0)) {
    errors.push(`${at}: matches none of the ${schema.anyOf.length} allowed shapes`);
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}
