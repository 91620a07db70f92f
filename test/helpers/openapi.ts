import { existsSync, readFileSync } from "node:fs";
import { type Schema, validate } from "./json-schema.js";

/**
 * GitHub's published description of the REST operations the App calls (test/app/openapi/), and
 * a check of one request against it: a known operation for its method and path, its required
 * and known query parameters, and its body against the operation's schema.
 */

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  requestBody?: Schema;
}

// Compiled into lib/ (the bench runs it from there), the description is still read from the sources.
const FIXTURE = ["../app/openapi/app-operations.json", "../../../test/app/openapi/app-operations.json"].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url)) as URL;
const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as {
  source: { package: string; version: string };
  operations: Record<string, Operation>;
};

export const OPENAPI_SOURCE = `${fixture.source.package}@${fixture.source.version}`;

const routes = Object.entries(fixture.operations).map(([id, operation]) => {
  const segments = operation.path.split("/");
  // A path parameter at the end may hold slashes (a file path, `heads/feature`); others may not.
  const pattern = segments.map((segment, i) => (segment.startsWith("{") ? (i === segments.length - 1 ? "(.+)" : "([^/]+)") : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
  return { id, operation, regex: new RegExp(`^${pattern}$`) };
});

/** Why GitHub would not take this request as sent; empty when its description allows it. */
export function checkRequest(method: string, path: string, query: URLSearchParams, body: unknown): string[] {
  const found = routes.find((route) => route.operation.method === method && route.regex.test(path));
  if (!found) return [`${method} ${path}: no operation in ${OPENAPI_SOURCE} the App is known to call`];
  const { id, operation } = found;
  const problems: string[] = [];
  const queryParameters = operation.parameters.filter((p) => p.in === "query");
  for (const parameter of queryParameters) {
    if (parameter.required && !query.has(parameter.name)) problems.push(`${id}: query parameter ${parameter.name} is required`);
  }
  for (const [name, value] of query) {
    const parameter = queryParameters.find((p) => p.name === name);
    if (!parameter) problems.push(`${id}: unknown query parameter ${name}`);
    else problems.push(...validate(parameter.schema, coerce(value, parameter.schema), `${id} query ${name}`));
  }
  if (operation.requestBody) problems.push(...validate(operation.requestBody, body ?? {}, `${id} body`));
  else if (body !== undefined && !(typeof body === "object" && body !== null && Object.keys(body).length === 0)) problems.push(`${id}: takes no body`);
  return problems;
}

/** A query string value as the type its schema names. */
function coerce(value: string, schema: Schema): unknown {
  if (schema.type === "integer" || schema.type === "number") return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (schema.type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
}
