/**
 * Extracts the request-body schemas of the GitHub REST operations skilldex calls from
 * @octokit/openapi into a small test fixture, so tests check request bodies against GitHub's
 * published description without installing the several-hundred-megabyte package.
 *
 * Usage, with the package installed anywhere outside the repository:
 *   npm i --prefix /tmp/openapi @octokit/openapi
 *   npm run build && node lib/scripts/extract-openapi.js /tmp/openapi/node_modules/@octokit/openapi
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The operations the Action calls; add one here when the Action starts calling it. */
const OPERATIONS = ["checks/create", "checks/update"];
// Compiled to lib/scripts/, two levels below the repository root.
const OUT = new URL("../../test/fixtures/openapi/checks.json", import.meta.url);

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node lib/scripts/extract-openapi.js <folder of the @octokit/openapi package>");
  process.exit(2);
}
interface Operation {
  operationId: string;
  requestBody: { content: Record<string, { schema: unknown }> };
}

const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; license: string };
const file = "generated/api.github.com.deref.json";
const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as { paths: Record<string, Record<string, Operation>> };

const operations: Record<string, { method: string; path: string; requestBody: unknown }> = {};
for (const [path, methods] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    if (!OPERATIONS.includes(op.operationId)) continue;
    operations[op.operationId] = {
      method: method.toUpperCase(),
      path,
      requestBody: strip(op.requestBody.content["application/json"]?.schema),
    };
  }
}
const missing = OPERATIONS.filter((id) => !operations[id]);
if (missing.length > 0) {
  console.error(`not in ${file}: ${missing.join(", ")}`);
  process.exit(1);
}

const fixture = {
  source: {
    package: pkg.name,
    version: pkg.version,
    license: pkg.license,
    file,
    note: "Request-body schemas only, descriptions and examples removed. Regenerate with scripts/extract-openapi.ts.",
  },
  operations,
};
writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${OPERATIONS.length} operations from ${pkg.name}@${pkg.version} to ${OUT.pathname}`);

/** Drops what a validator never reads, to keep the fixture small and its diffs readable. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "description" || key === "examples" || key === "example" || key === "title") continue;
    // A property may be called "description" or "title": only annotations are dropped.
    out[key] = key === "properties" ? Object.fromEntries(Object.entries(child as object).map(([k, v]) => [k, strip(v)])) : strip(child);
  }
  return out;
}
