import { agentDescriptionRequired } from "./agent/description-required.js";
import { agentFrontmatter } from "./agent/frontmatter.js";
import { agentNameFormat } from "./agent/name-format.js";
import { agentNameRequired } from "./agent/name-required.js";
import { agentSkillsExist } from "./agent/skills-exist.js";
import { commandFrontmatter } from "./command/frontmatter.js";
import { fileLineEndings } from "./file/line-endings.js";
import { fileNoBom } from "./file/no-bom.js";
import { fileNotEmpty } from "./file/not-empty.js";
import { fileReadable } from "./file/readable.js";
import { fileSizeLimit } from "./file/size-limit.js";
import { fileText } from "./file/text.js";
import { frontmatterFieldTypes } from "./frontmatter/field-types.js";
import { frontmatterMapping } from "./frontmatter/mapping.js";
import { frontmatterMetadataMapping } from "./frontmatter/metadata-mapping.js";
import { frontmatterYamlUnrepairable } from "./frontmatter/yaml-unrepairable.js";
import { frontmatterYaml } from "./frontmatter/yaml.js";
import { hookCommandExists } from "./hook/command-exists.js";
import { hookGuardingEntries } from "./hook/guarding-entries.js";
import { hookIgnoredEntries } from "./hook/ignored-entries.js";
import { hookModulesExist } from "./hook/modules-exist.js";
import { hookStructure } from "./hook/structure.js";
import { hookUnknownEvent } from "./hook/unknown-event.js";
import { jsonRootObject } from "./json/root-object.js";
import { jsonValid } from "./json/valid.js";
import { layoutDeprecated } from "./layout/deprecated.js";
import { lspServers } from "./lsp/servers.js";
import { marketplaceDependencyCycle } from "./marketplace/dependency-cycle.js";
import { marketplaceEntryFields } from "./marketplace/entry-fields.js";
import { marketplaceExternalSource } from "./marketplace/external-source.js";
import { marketplaceListedPlugins } from "./marketplace/listed-plugins.js";
import { marketplaceLocalSources } from "./marketplace/local-source-exists.js";
import { marketplaceReservedName } from "./marketplace/reserved-name.js";
import { marketplaceSource } from "./marketplace/source.js";
import { marketplaceStructure } from "./marketplace/structure.js";
import { mcpCommandExists } from "./mcp/command-exists.js";
import { mcpServers } from "./mcp/servers.js";
import { moduleRegister } from "./module/register.js";
import { monitorEntries } from "./monitor/entries.js";
import { pluginComponentExists } from "./plugin/component-exists.js";
import { pluginComponentPaths } from "./plugin/component-paths.js";
import { pluginFieldTypes } from "./plugin/field-types.js";
import { pluginNameKebabCase } from "./plugin/name-kebab-case.js";
import { pluginName } from "./plugin/name.js";
import { pluginReservedName } from "./plugin/reserved-name.js";
import { securityHookChmod777 } from "./security/hook-chmod-777.js";
import { securityHookDownloadToShell } from "./security/hook-download-to-shell.js";
import { securityHookPreloadEnv } from "./security/hook-preload-env.js";
import { securityHookShellStartupWrite } from "./security/hook-shell-startup-write.js";
import { securityHookSudo } from "./security/hook-sudo.js";
import { securityInvisibleUnicode } from "./security/invisible-unicode.js";
import { securityMcpLiteralSecret } from "./security/mcp-literal-secret.js";
import { securityMcpPlainHttp } from "./security/mcp-plain-http.js";
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
import { workflowMeta } from "./workflow/meta.js";
import type { Rule } from "./types.js";

/** Every rule, sorted by id: adding a rule is one import and one line here. The order they report in is CHECK_ORDER's. */
export const RULES: readonly Rule[] = [
  agentDescriptionRequired,
  agentFrontmatter,
  agentNameFormat,
  agentNameRequired,
  agentSkillsExist,
  commandFrontmatter,
  fileLineEndings,
  fileNoBom,
  fileNotEmpty,
  fileReadable,
  fileSizeLimit,
  fileText,
  frontmatterFieldTypes,
  frontmatterMapping,
  frontmatterMetadataMapping,
  frontmatterYaml,
  frontmatterYamlUnrepairable,
  hookCommandExists,
  hookGuardingEntries,
  hookIgnoredEntries,
  hookModulesExist,
  hookStructure,
  hookUnknownEvent,
  jsonRootObject,
  jsonValid,
  layoutDeprecated,
  lspServers,
  marketplaceDependencyCycle,
  marketplaceEntryFields,
  marketplaceExternalSource,
  marketplaceListedPlugins,
  marketplaceLocalSources,
  marketplaceReservedName,
  marketplaceSource,
  marketplaceStructure,
  mcpCommandExists,
  mcpServers,
  moduleRegister,
  monitorEntries,
  pluginComponentExists,
  pluginComponentPaths,
  pluginFieldTypes,
  pluginName,
  pluginNameKebabCase,
  pluginReservedName,
  securityHookChmod777,
  securityHookDownloadToShell,
  securityHookPreloadEnv,
  securityHookShellStartupWrite,
  securityHookSudo,
  securityInvisibleUnicode,
  securityMcpLiteralSecret,
  securityMcpPlainHttp,
  skillAllowedFields,
  skillCompatibility,
  skillDescriptionLength,
  skillDescriptionRequired,
  skillFrontmatter,
  skillNameCharacters,
  skillNameHyphens,
  skillNameLength,
  skillNameLowercase,
  skillNameMatchesDirectory,
  skillNameRequired,
  skillStrictYaml,
  workflowMeta,
];
