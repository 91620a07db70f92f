import { agentFrontmatter } from "./agent/frontmatter.js";
import { agentDescriptionRequired } from "./agent/description-required.js";
import { agentNameFormat } from "./agent/name-format.js";
import { agentNameRequired } from "./agent/name-required.js";
import { agentSkillsExist } from "./agent/skills-exist.js";
import { commandFrontmatter } from "./command/frontmatter.js";
import { fileReadable } from "./file/readable.js";
import { fileSizeLimit } from "./file/size-limit.js";
import { fileLineEndings } from "./file/line-endings.js";
import { fileNoBom } from "./file/no-bom.js";
import { fileNotEmpty } from "./file/not-empty.js";
import { fileText } from "./file/text.js";
import { frontmatterFieldTypes } from "./frontmatter/field-types.js";
import { frontmatterMapping } from "./frontmatter/mapping.js";
import { frontmatterMetadataMapping } from "./frontmatter/metadata-mapping.js";
import { frontmatterYaml } from "./frontmatter/yaml.js";
import { frontmatterYamlUnrepairable } from "./frontmatter/yaml-unrepairable.js";
import { hookCommandExists } from "./hook/command-exists.js";
import { hookGuardingEntries } from "./hook/guarding-entries.js";
import { hookIgnoredEntries } from "./hook/ignored-entries.js";
import { hookStructure } from "./hook/structure.js";
import { hookUnknownEvent } from "./hook/unknown-event.js";
import { jsonRootObject } from "./json/root-object.js";
import { jsonValid } from "./json/valid.js";
import { layoutDeprecated } from "./layout/deprecated.js";
import { marketplaceDependencyCycle } from "./marketplace/dependency-cycle.js";
import { marketplaceEntryFields } from "./marketplace/entry-fields.js";
import { marketplaceReservedName } from "./marketplace/reserved-name.js";
import { marketplaceSource } from "./marketplace/source.js";
import { marketplaceExternalSource } from "./marketplace/external-source.js";
import { marketplaceListedPlugins } from "./marketplace/listed-plugins.js";
import { marketplaceLocalSources } from "./marketplace/local-source-exists.js";
import { marketplaceStructure } from "./marketplace/structure.js";
import { lspServers } from "./lsp/servers.js";
import { mcpCommandExists } from "./mcp/command-exists.js";
import { mcpServers } from "./mcp/servers.js";
import { moduleRegister } from "./module/register.js";
import { monitorEntries } from "./monitor/entries.js";
import { pluginComponentExists } from "./plugin/component-exists.js";
import { pluginComponentPaths } from "./plugin/component-paths.js";
import { pluginFieldTypes } from "./plugin/field-types.js";
import { pluginName } from "./plugin/name.js";
import { pluginNameKebabCase } from "./plugin/name-kebab-case.js";
import { pluginReservedName } from "./plugin/reserved-name.js";
import { skillAllowedFields } from "./skill/allowed-fields.js";
import { skillCompatibility } from "./skill/compatibility.js";
import { skillDescriptionLength } from "./skill/description-length.js";
import { skillDescriptionRequired } from "./skill/description-required.js";
import { skillFrontmatter } from "./skill/frontmatter.js";
import { skillNameCharacters } from "./skill/name-characters.js";
import { skillNameHyphens } from "./skill/name-hyphens.js";
import { skillNameLength } from "./skill/name-length.js";
import { skillNameLowercase } from "./skill/name-lowercase.js";
import { skillNameMatchesDirectory } from "./skill/name-matches-directory.js";
import { skillNameRequired } from "./skill/name-required.js";
import { skillStrictYaml } from "./skill/strict-yaml.js";
import type { Rule } from "./types.js";
import { workflowMeta } from "./workflow/meta.js";

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
  skillFrontmatter,
  agentFrontmatter,
  commandFrontmatter,
  frontmatterYaml,
  frontmatterYamlUnrepairable,
  skillStrictYaml,
  frontmatterMapping,
  frontmatterFieldTypes,
  frontmatterMetadataMapping,
  skillAllowedFields,
  skillNameRequired,
  skillNameLength,
  skillNameLowercase,
  skillNameHyphens,
  skillNameCharacters,
  skillNameMatchesDirectory,
  skillDescriptionRequired,
  skillDescriptionLength,
  skillCompatibility,
  agentNameRequired,
  agentNameFormat,
  agentDescriptionRequired,
  agentSkillsExist,
  layoutDeprecated,
  hookStructure,
  hookGuardingEntries,
  hookIgnoredEntries,
  hookUnknownEvent,
  hookCommandExists,
  mcpServers,
  mcpCommandExists,
  lspServers,
  monitorEntries,
  workflowMeta,
  moduleRegister,
  pluginName,
  pluginNameKebabCase,
  pluginReservedName,
  pluginFieldTypes,
  pluginComponentPaths,
  pluginComponentExists,
  marketplaceStructure,
  marketplaceReservedName,
  marketplaceSource,
  marketplaceEntryFields,
  marketplaceLocalSources,
  marketplaceExternalSource,
  marketplaceDependencyCycle,
  marketplaceListedPlugins,
];
