import { discover } from "../discover/index.js";
import { basename } from "../discover/paths.js";
import { SKIP_FILE_PATH } from "../skips/index.js";

/**
 * The files a scan will read, chosen from the listing alone: every manifest discovery finds, plus
 * what it can only judge by reading (every marketplace.json, whose plugin folders may hold an
 * `mcp.json`, so every MCP config too) and the skilldex config. A few more than needed costs a few
 * small blobs; one too few costs a round trip later.
 */
export function filesToFetch(files: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const artifact of discover(files, { repoName: "root" })) if (artifact.manifest) wanted.add(artifact.manifest);
  for (const file of files) {
    const name = basename(file);
    if (file === SKIP_FILE_PATH || name === "marketplace.json" || name === ".mcp.json" || name === "mcp.json") wanted.add(file);
  }
  return files.filter((f) => wanted.has(f));
}
