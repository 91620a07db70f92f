import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["lib/", "dist/", "node_modules/", "coverage/", "examples/", "test/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    // src/ is the skilldex package a CLI user installs: the App's packages live in app/package.json,
    // the Action's bundle-only ones in devDependencies, and the tracing SDK (an optional peer) is
    // loaded only by src/telemetry/otlp.ts with import().
    files: ["src/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["probot", "probot/*", "pino", "@probot/*", "@octokit/webhooks", "@actions/*"], message: "App and Action packages are not dependencies of the skilldex package." },
            { group: ["@opentelemetry/sdk-*"], allowTypeImports: true, message: "The tracing SDK is an optional peer: load it with import() in src/telemetry/otlp.ts." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/cli/**", "scripts/**", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
);
