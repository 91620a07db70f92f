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

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(env: NodeJS.ProcessEnv = {}) {
    for (const name of SECRET_ENV_NAMES) this.add(env[name]);
  }

  /** Registers a value to hide; short values are ignored, since hiding them would garble text. */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 8) return;
    this.secrets.add(secret);
    // A key read from a file may show up with escaped newlines, and a token base64-encoded in a header.
    if (secret.includes("\n")) this.secrets.add(secret.replace(/\n/g, "\\n"));
    this.secrets.add(Buffer.from(`x-access-token:${secret}`).toString("base64"));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("[REDACTED]");
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
