import { agentDescriptionRequired, agentFrontmatter, agentNameRequired } from "./agent/frontmatter.js";
import { commandFrontmatter } from "./command/frontmatter.js";
import { fileReadable } from "./file/readable.js";
import { frontmatterYaml } from "./frontmatter-yaml.js";
import { fileSizeLimit } from "./file/size-limit.js";
import { fileLineEndings, fileNoBom, fileNotEmpty, fileText } from "./file/text.js";
import { hookStructure } from "./hook/structure.js";
import { jsonRootObject, jsonValid } from "./json/valid.js";
import { marketplaceLocalSources, marketplaceStructure } from "./marketplace/structure.js";
import { mcpServers } from "./mcp/servers.js";
import { pluginName } from "./plugin/name.js";
import { skillFrontmatter } from "./skill/frontmatter.js";
import { skillNameMatchesDirectory } from "./skill/name-matches-directory.js";
import { skillDescriptionRequired, skillNameRequired } from "./skill/required-fields.js";
import type { Rule } from "./types.js";

/**
 * Every rule, in the order they run. When an artifact has several errors, the first rule's
 * reason code becomes the artifact's reason, so the most basic problems come first.
 */
export const RULES: readonly Rule[] = [
  fileReadable,
  fileSizeLimit,
  fileText,
  fileNotEmpty,
  fileNoBom,
  fileLineEndings,
  jsonValid,
  jsonRootObject,
  frontmatterYaml,
  skillFrontmatter,
  skillNameRequired,
  skillDescriptionRequired,
  skillNameMatchesDirectory,
  agentFrontmatter,
  agentNameRequired,
  agentDescriptionRequired,
  commandFrontmatter,
  hookStructure,
  mcpServers,
  pluginName,
  marketplaceStructure,
  marketplaceLocalSources,
];
