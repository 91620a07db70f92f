import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface SyntheticRepo {
  artifacts: number;
  files: number;
  broken: number;
}

/**
 * Writes a marketplace of plugins holding every artifact type, about 5% of them broken, beside
 * skill resources and large files that are not artifacts. Deterministic for a given size.
 */
export function generateRepository(root: string, targetArtifacts: number): SyntheticRepo {
  let files = 0;
  let artifacts = 0;
  let broken = 0;
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const write = (path: string, content: string | Uint8Array): void => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    files++;
  };
  const maybeBroken = (): boolean => {
    const b = random() < 0.05;
    if (b) broken++;
    return b;
  };

  // Each plugin: 1 plugin, 20 skills, 15 commands, 12 agents, 1 hook file, 1 MCP config = 50 (and 8 more in every tenth).
  const perPlugin = 50;
  const plugins = Math.max(1, Math.round(targetArtifacts / perPlugin));
  const entries: { name: string; source: string }[] = [];
  for (let p = 0; p < plugins; p++) {
    const plugin = `plugin-${p}`;
    const dir = `plugins/${plugin}`;
    entries.push({ name: plugin, source: `./${dir}` });
    const hooks = p % 10 === 0 ? { hooks: ["./hooks/session.json"] } : {};
    write(`${dir}/.claude-plugin/plugin.json`, maybeBroken() ? `{"name": "${plugin}",}` : JSON.stringify({ name: plugin, version: "1.0.0", description: `Plugin ${p}`, ...hooks }, null, 2));
    write(`${dir}/README.md`, `# ${plugin}\n`);
    for (let s = 0; s < 20; s++) {
      const name = `skill-${p}-${s}`;
      const frontmatter = maybeBroken() ? `---\nname: ${name}\ndescription: [unclosed\n---\n` : `---\nname: ${name}\ndescription: Skill ${s} of plugin ${p}. Use it when the task mentions ${name}.\nlicense: MIT\n---\n`;
      write(`${dir}/skills/${name}/SKILL.md`, `${frontmatter}\n# ${name}\n\n${"Step by step instructions. ".repeat(40)}\n`);
      write(`${dir}/skills/${name}/reference.md`, `# Reference\n\n${"Details. ".repeat(200)}\n`);
      if (s % 4 === 0) write(`${dir}/skills/${name}/scripts/run.py`, "print('hello')\n");
    }
    for (let c = 0; c < 15; c++) {
      write(`${dir}/commands/${c % 3 === 0 ? "group/" : ""}cmd-${p}-${c}.md`, maybeBroken() ? "---\ndescription: x: y: z\n---\nbody\n" : `---\ndescription: Command ${c}\nargument-hint: <file>\n---\n\nDo the thing with $ARGUMENTS.\n`);
    }
    for (let a = 0; a < 12; a++) {
      write(`${dir}/agents/agent-${p}-${a}.md`, maybeBroken() ? "---\nname: [\n---\n" : `---\nname: agent-${p}-${a}\ndescription: Agent ${a}.\ntools: Read, Grep\n---\n\nYou are agent ${a}.\n`);
    }
    write(`${dir}/hooks/hooks.json`, maybeBroken() ? '{"PreToolUse": []}' : JSON.stringify({ hooks: { PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "./check.sh" }] }] } }));
    write(`${dir}/.mcp.json`, maybeBroken() ? '{"mcpServers": {"x": {"url": "https://x"}}}' : JSON.stringify({ mcpServers: { [`server-${p}`]: { command: "npx", args: ["-y", `server-${p}`] } } }));
    artifacts += perPlugin;
    if (p % 10 === 0) {
      // The newer component types, in every tenth plugin: an LSP config, an output style, monitors, a theme, a workflow, a program, and a hooks file plugin.json names with its hooks module.
      write(`${dir}/.lsp.json`, JSON.stringify({ [`lang-${p}`]: { command: "lang-server", args: ["--stdio"], extensionToLanguage: { ".x": "x" } } }));
      write(`${dir}/output-styles/terse-${p}.md`, `---\nname: terse-${p}\ndescription: Short answers.\n---\n\nAnswer in one line.\n`);
      write(`${dir}/monitors/monitors.json`, JSON.stringify([{ name: `watch-${p}`, command: "tail -f log.txt", description: "Watches the log." }]));
      write(`${dir}/themes/dark-${p}.json`, JSON.stringify({ name: `dark-${p}`, base: "dark", overrides: {} }));
      write(`${dir}/workflows/release-${p}.js`, `export const meta = { name: "release-${p}", description: "Cuts a release." };\nexport default async function release() {}\n`);
      write(`${dir}/bin/tool-${p}`, "#!/bin/sh\necho tool\n");
      write(`${dir}/hooks/session.json`, JSON.stringify({ hooks: {}, modules: ["./register.js"] }));
      write(`${dir}/hooks/register.js`, "export function register(on) { on(\"SessionStart\", () => {}); }\n");
      artifacts += 8;
    }
  }
  write(".claude-plugin/marketplace.json", JSON.stringify({ name: "synthetic", owner: { name: "Bench" }, plugins: entries }, null, 2));
  artifacts++;
  // Large files that are not artifacts: a scan must not pay for them.
  const big = new Uint8Array(8 * 1024 * 1024).fill(97);
  for (let i = 0; i < 8; i++) write(`assets/video-${i}.bin`, big);
  write("data/huge.json", big);
  return { artifacts, files, broken };
}
