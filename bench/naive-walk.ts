/**
 * The yardstick of `npm run bench`: what any tool pays to look at a repository's agent files
 * without judging them. It walks the tree (leaving out `.git` and `node_modules`), reads every
 * Markdown and JSON file, parses each Markdown file's frontmatter with `yaml` and each JSON file
 * with `JSON.parse`, and validates nothing. Run it as `node lib/bench/naive-walk.js DIR`.
 *
 * With `--read-only` it walks and reads the same files and parses none: what Node pays for the
 * files alone, the part of the yardstick that no tool running on Node goes below; it does not load
 * `yaml` either.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface NaiveWalk {
  files: number;
  read: number;
  parsed: number;
}

/** The walk; with no `parseYaml`, nothing is parsed. */
export function naiveWalk(root: string, parseYaml?: (yaml: string) => unknown): NaiveWalk {
  const out: NaiveWalk = { files: 0, read: 0, parsed: 0 };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        out.files++;
        const markdown = entry.name.endsWith(".md");
        if (!markdown && !entry.name.endsWith(".json")) continue;
        const text = readFileSync(path, "utf8");
        out.read++;
        if (!parseYaml) continue;
        try {
          if (!markdown) JSON.parse(text);
          else if (text.startsWith("---")) {
            const close = text.indexOf("\n---", 3);
            if (close !== -1) parseYaml(text.slice(3, close));
          }
          out.parsed++;
        } catch {
          // Not judged: a file that does not parse is simply counted as read.
        }
      }
    }
  };
  walk(root);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const readOnly = args.includes("--read-only");
  const root = args.find((arg) => arg !== "--read-only");
  if (!root) {
    process.stderr.write("usage: naive-walk [--read-only] DIR\n");
    process.exitCode = 2;
  } else {
    const parseYaml = readOnly ? undefined : (await import("yaml")).parse;
    process.stdout.write(`${JSON.stringify(naiveWalk(root, parseYaml))}\n`);
  }
}
