import { scan, type ScanOptions } from "../../src/pipeline/pipeline.js";
import type { ArtifactResult, Report } from "../../src/model.js";
import { makeTree, type Tree } from "./tree.js";

export { git, makeGitRepo, makeTree, writeTree, type Tree } from "./tree.js";

export async function scanTree(files: Tree, options: Partial<ScanOptions> = {}): Promise<Report> {
  return scan({ root: makeTree(files), ...options });
}

export function byKey(report: Report, key: string): ArtifactResult {
  const found = report.artifacts.filter((a) => a.key === key);
  if (found.length !== 1) throw new Error(`expected one artifact ${key}, found ${found.length}: ${report.artifacts.map((a) => a.key).join(", ")}`);
  return found[0] as ArtifactResult;
}

export function keys(report: Report): string[] {
  return report.artifacts.map((a) => a.key).sort();
}

export const skill = (name: string, description = `Does ${name} things. Use when asked about ${name}.`): string =>
  `---\nname: ${name}\ndescription: ${description}\n---\n\n# ${name}\n\nInstructions.\n`;
export const agent = (name: string): string => `---\nname: ${name}\ndescription: The ${name} agent.\n---\n\nYou are ${name}.\n`;
export const command = (description: string): string => `---\ndescription: ${description}\n---\n\nDo it.\n`;
export const pluginJson = (name: string): string => `${JSON.stringify({ name, version: "1.0.0", description: `The ${name} plugin.` }, null, 2)}\n`;
