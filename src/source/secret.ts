/** What a token becomes in any text skilldex shows. */
export const REDACTED = "***";

/**
 * Replaces every secret, and the forms git and HTTP carry it in (base64 of `x-access-token:TOKEN`
 * in a basic Authorization header), with `***`. Every message that leaves a source passes here.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
  }
  // A header echoed back by a server or a trace is hidden whatever it holds.
  return out.replace(/(authorization:\s*(?:basic|bearer|token)\s+)[^\s"']+/gi, `$1${REDACTED}`);
}

function secretForms(secret: string): string[] {
  return [secret, basicCredential(secret), encodeURIComponent(secret)].filter((s) => s.length >= 4);
}

/** The credential of `Authorization: basic`, as GitHub takes an installation or PAT token over git HTTP. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString("base64");
}
