import type { Profile, Report } from "../src/model.js";
import { SkipFileError } from "../src/skips/index.js";
import { scanFromSource } from "../src/pipeline/from-source.js";
import { sourceLog } from "../src/source/open.js";
import type { Checkout } from "./checkout.js";
import { configFile, readRootConfig } from "./config.js";
import type { Context } from "./context.js";
import type { Target } from "./event.js";
import { relocate } from "./failure.js";
import type { GitHubClient } from "./github.js";
import { DEFAULT_PROFILE, type Inputs } from "./inputs.js";

export interface ScanPlace {
  inputs: Inputs;
  workspace: string;
  /** The checkout to scan, or null to fetch the files of `place` at the target commit. */
  checkout: Checkout | null;
  place: Checkout;
  target: Target & { headSha: string };
  client: GitHubClient;
}

/** The pipeline on the checkout or on the files fetched at the commit, saying in the log where the files came from. */
export async function scanTarget({ env, runner, log, deps }: Context, { inputs, workspace, checkout, place, target, client }: ScanPlace): Promise<Report> {
  const configPath = configFile(workspace, inputs.config, checkout !== null);
  // The settings are the repository's, at its root, whichever folder is indexed: that is where the
  // App writes skip preferences, and where the config input points with a checkout.
  const config = !checkout && place.prefix ? await readRootConfig(client, target.headSha) : null;

  const { report, selected } = await scanFromSource({
    select: {
      // With a checkout, `source: auto` still chooses (and says why): it reads the checkout because it holds the files.
      strategy: checkout && inputs.source === "workspace" ? "workspace" : checkout ? "auto" : inputs.source,
      root: checkout?.root ?? null,
      repo: `${target.owner}/${target.repo}`,
      ref: target.headSha,
      subdir: place.prefix || null,
      token: inputs.token || null,
      apiUrl: env.GITHUB_API_URL || null,
      serverUrl: env.GITHUB_SERVER_URL || null,
      env,
      log: sourceLog(log),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
    external: inputs.indexExternal,
    fallbackRoot: place.root,
    profile: profileOf(inputs),
    base: target.base,
    configPath,
    ...(config ? { config } : {}),
    skipPreferences: inputs.skipPreferences,
    repoName: repoNameOf(place, target),
    logger: log,
  }).catch((error: unknown) => {
    throw error instanceof SkipFileError ? relocate(error, place.root, place.repoRoot) : error;
  });
  if (!checkout) runner.info(`read ${report.metrics.filesRead} of ${report.metrics.filesListed} files through the ${selected.strategy === "api" ? "GitHub API" : "partial clone"}: ${selected.reason}`);
  for (const warning of selected.warnings) runner.warning(warning);
  return report;
}

/** The profile to scan with: the default input defers to the config file's, which scan() falls back from to claude-code. */
export function profileOf(inputs: Inputs): Profile | null {
  return inputs.profile === DEFAULT_PROFILE ? null : inputs.profile;
}

/**
 * The name of the root's artifacts: a sub-folder's are named after the folder, as the App names
 * them from the repository root; only a scan of the whole repository takes the repository's name.
 */
export function repoNameOf(place: Checkout, target: Pick<Target, "repo">): string {
  return place.prefix ? (place.prefix.split("/").pop() as string) : target.repo;
}
