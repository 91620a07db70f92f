import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseSettings } from "../src/config.js";
import { SKIP_FILE_PATH, type SkilldexConfig } from "../src/skips/index.js";
import type { GitHubClient } from "./github.js";
import { InputError } from "./inputs.js";

/**
 * The config input is relative to the workspace. The default file may be absent; then the
 * scan looks for its own default under the folder it indexes, on disk or in the fetched files.
 * Without a checkout only that default can be read.
 */
export function configFile(workspace: string, input: string, checkedOut: boolean): string | null {
  const path = resolve(workspace, input);
  if (input === SKIP_FILE_PATH && (!checkedOut || !existsSync(path))) return null;
  if (!checkedOut) throw new InputError(`the config input names ${input}, which needs a checkout; without one, skilldex reads ${SKIP_FILE_PATH} from the fetched files`);
  return path;
}

/** The root's default config file at the commit, or null when it has none. Needs `contents: read`. */
export async function readRootConfig(client: GitHubClient, ref: string): Promise<SkilldexConfig | null> {
  const bytes = await client.readFile(SKIP_FILE_PATH, ref);
  if (bytes === null) return null;
  return parseSettings(bytes.toString("utf8"), SKIP_FILE_PATH);
}
