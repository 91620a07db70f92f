/**
 * `node lib/scripts/bundle-cli.js`, after tsc: bundles the built CLI (lib/src/cli/main.js) and what
 * it imports into lib/cli/, the file package.json's `bin` runs. Node then resolves and compiles some
 * 20 files instead of some 160 modules, which halves a small scan's process time beyond Node's own start.
 * What a command loads with `import()` stays in its own chunk, loaded when that command runs.
 *
 * OpenTelemetry stays outside: `@opentelemetry/api` comes from the installed dependencies and the
 * tracing SDK is an optional peer that a user installs or not, so both are imported where
 * skilldex is installed, only when tracing is asked for.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "rolldown";

export const CLI_BUNDLE_DIR = "lib/cli";
export const CLI_BUNDLE_ENTRY = "skilldex.js";

export async function bundleCli(repo: string): Promise<string> {
  const out = join(repo, CLI_BUNDLE_DIR);
  // Chunk names carry a hash of their content: chunks of an earlier build would stay beside the new ones.
  rmSync(out, { recursive: true, force: true });
  await build({
    input: join(repo, "lib/src/cli/main.js"),
    platform: "node",
    external: [/^@opentelemetry\//],
    // jsonc-parser's `main` is a UMD build whose requires a bundler cannot follow; its `module` is plain ESM.
    resolve: { mainFields: ["module", "main"] },
    output: { dir: out, format: "esm", entryFileNames: CLI_BUNDLE_ENTRY, chunkFileNames: "[name]-[hash].js" },
    logLevel: "warn",
  });
  // The reading thread of a large workspace (src/source/read-ahead.ts) runs a module of its own,
  // found beside the code that starts it: one file, sharing no chunk with the command's.
  await build({
    input: join(repo, "lib/src/source/read-thread.js"),
    platform: "node",
    output: { dir: out, format: "esm", entryFileNames: "read-thread.js" },
    logLevel: "warn",
  });
  return join(out, CLI_BUNDLE_ENTRY);
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleCli(resolve(import.meta.dirname, "../.."));
