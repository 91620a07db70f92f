/**
 * Removes secrets from anything about to be written: values known to be secret (tokens, keys,
 * webhook secrets handed in through the environment), and anything shaped like one.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, "[REDACTED]"], // GitHub tokens: personal, OAuth, user, server, refresh
  [/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, "[REDACTED]"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, "[REDACTED]"],
  [/\/\/[^/@\s:]+:[^/@\s]+@/g, "//[REDACTED]@"], // credentials in a URL: https://user:token@host
  [/(authorization:\s*)(?:bearer|basic|token)\s+[A-Za-z0-9._~+/=-]+/gi, "$1[REDACTED]"],
];

/** Environment variables whose values are secrets wherever they turn up. */
export const SECRET_ENV_NAMES = ["GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN", "GH_TOKEN", "PRIVATE_KEY", "WEBHOOK_SECRET", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"];

/** What a secret becomes in any text skilldex shows. */
export const REDACTED = "[REDACTED]";

/** The credential of `Authorization: basic`, as GitHub takes an installation or PAT token over git HTTP. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString("base64");
}

/** Hides the given secrets, and anything shaped like one, in a text. */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor.redact(text);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(env: NodeJS.ProcessEnv = {}) {
    for (const name of SECRET_ENV_NAMES) this.add(env[name]);
  }

  /** Registers a value to hide; very short values are ignored, since hiding them would garble text. */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4) return;
    // A key read from a file may show up with escaped newlines, a token base64-encoded in a basic
    // Authorization header, or percent-encoded in a URL.
    const forms = [secret, basicCredential(secret), encodeURIComponent(secret)];
    if (secret.includes("\n")) forms.push(secret.replace(/\n/g, "\\n"));
    for (const form of forms) this.secrets.add(form);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that no part of a longer form is left behind by a shorter one.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
