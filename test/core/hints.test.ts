import { describe, expect, it } from "vitest";
import { discoveryHints } from "../../src/discover/hints.js";

const readFrom =
  (files: Record<string, unknown>) =>
  async (path: string): Promise<unknown> =>
    files[path];

describe("discoveryHints", () => {
  it("lists the plugin folders a marketplace names, leaving out its own root and sources elsewhere", async () => {
    const manifests = {
      "market/.claude-plugin/marketplace.json": {
        metadata: { pluginRoot: "./plugins" },
        plugins: [{ source: "./vendor/pdf" }, { source: "docx" }, { source: "./" }, { source: { source: "github", repo: "o/r" } }, { source: "../../outside" }],
      },
    };
    const hints = await discoveryHints(Object.keys(manifests), readFrom(manifests));

    expect(hints.listedPluginDirs).toEqual(["market/vendor/pdf", "market/plugins/docx"]);
  });

  it("names the component files and folders a plugin.json points at, with the plugin folder", async () => {
    const manifests = { "p/.claude-plugin/plugin.json": { name: "p", agents: ["./reviewer.md"], skills: "./extra", hooks: "./config/hooks.json", mcpServers: "./servers.json", lspServers: "./lsp.json", outputStyles: "./styles/" } };
    const hints = await discoveryHints(Object.keys(manifests), readFrom(manifests));

    expect(hints.namedComponents).toEqual([
      { pluginDir: "p", type: "agent", path: "p/reviewer.md" },
      { pluginDir: "p", type: "skill", path: "p/extra" },
      { pluginDir: "p", type: "hook", path: "p/config/hooks.json" },
      { pluginDir: "p", type: "mcp", path: "p/servers.json" },
      { pluginDir: "p", type: "output-style", path: "p/styles" },
      { pluginDir: "p", type: "lsp", path: "p/lsp.json" },
    ]);
  });

  it("reads only manifests, and takes an unreadable one as giving nothing", async () => {
    const read: string[] = [];
    const files = ["README.md", "x.claude-plugin/marketplace.json", ".claude-plugin/marketplace.json", "a/.claude-plugin/plugin.json"];
    const hints = await discoveryHints(files, async (path) => {
      read.push(path);
      return undefined;
    });

    expect(read.sort()).toEqual([".claude-plugin/marketplace.json", "a/.claude-plugin/plugin.json"]);
    expect(hints).toEqual({ listedPluginDirs: [], namedComponents: [], replacedDefaults: [], inlineComponents: [] });
  });
});
