/** The project's home, and its rules reference, to which SARIF links each rule's section. */
export const PROJECT_URL = "https://github.com/skilldex/skilldex";
export const RULES_DOC_URL = `${PROJECT_URL}/blob/main/docs/rules.md`;

/** The anchor GitHub gives a rule's heading (`## \`skill/name-required\``) in docs/rules.md. */
export function ruleAnchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, "");
}

export function ruleHelpUrl(id: string): string {
  return `${RULES_DOC_URL}#${ruleAnchor(id)}`;
}
