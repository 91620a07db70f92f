import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The skilldex package ships lib/src and installs only package.json's `dependencies` (and, when
 * the user adds them, its optional peers). These checks read the built JavaScript, where type-only
 * imports are gone, so they see exactly what Node loads.
 */
const repo = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  files: string[];
};

interface Use {
  file: string;
  pkg: string;
  dynamic: boolean;
}

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => join(entry.parentPath, entry.name));
}

function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

/** Bare specifiers the built files import, statically (`from "x"`, `import "x"`) or with `import("x")`. */
function packageUses(): Use[] {
  const uses: Use[] = [];
  for (const file of builtFiles(join(repo, "lib/src"))) {
    const text = readFileSync(file, "utf8");
    const found = [
      ...[...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm), ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)].map((m) => ({ specifier: m[1] as string, dynamic: false })),
      ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => ({ specifier: m[1] as string, dynamic: true })),
    ];
    for (const { specifier, dynamic } of found) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      uses.push({ file: relative(repo, file), pkg: packageOf(specifier), dynamic });
    }
  }
  return uses;
}

describe("the skilldex package's dependencies", () => {
  const uses = packageUses();

  it("ships only lib/src and lib/cli, the code the core runs and the command's bundle of it", () => {
    expect(manifest.files.filter((entry) => entry.startsWith("lib"))).toEqual(["lib/src", "lib/cli"]);
  });

  it("declares every package that lib/src loads", () => {
    expect(uses.length).toBeGreaterThan(0);
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies ?? {})]);
    expect(uses.filter((use) => !declared.has(use.pkg)).map((use) => `${use.file}: ${use.pkg}`)).toEqual([]);
  });

  it("keeps the App's packages where lib/app and test/app find them: hoisted to the root node_modules", () => {
    // The App runs as lib/app/main.js, outside app/, so a copy npm left in app/node_modules (a version
    // clashing with the root's) would not be found.
    const app = JSON.parse(readFileSync(join(repo, "app/package.json"), "utf8")) as { private: boolean; dependencies: Record<string, string> };
    expect(app.private).toBe(true);
    expect(Object.keys(app.dependencies)).toContain("probot");
    expect(Object.keys(app.dependencies).filter((name) => !existsSync(join(repo, "node_modules", name, "package.json")))).toEqual([]);
    expect(existsSync(join(repo, "app/node_modules"))).toBe(false);
  });

  it("loads an optional peer only with import(), so a run that does not need it never asks for it", () => {
    const optional = Object.entries(manifest.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional).map(([name]) => name);
    expect(optional).toContain("@opentelemetry/sdk-trace-base");
    const peerUses = uses.filter((use) => optional.includes(use.pkg));
    expect(peerUses.map((use) => `${use.file}: ${use.pkg}${use.dynamic ? " (import())" : ""}`)).toEqual(["lib/src/telemetry/otlp.js: @opentelemetry/sdk-trace-base (import())"]);
  });
});
