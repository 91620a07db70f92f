/**
 * Tokens of well-known services, by the shape each service gives its keys. Only shapes with a
 * distinctive prefix and a long random tail are matched, so prose, `${VAR}` references and
 * placeholders such as `sk_live_ACTUAL_KEY_HERE` never are.
 */
const TOKEN_SHAPES: { service: string; pattern: RegExp }[] = [
  { service: "a GitHub personal access token", pattern: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/g },
  { service: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g },
  { service: "an AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { service: "an Anthropic API key", pattern: /\bsk-ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{80,}/g },
  { service: "an OpenAI API key", pattern: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}/g },
  { service: "an OpenAI API key", pattern: /\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/g },
  { service: "an OpenAI API key", pattern: /\bsk-[A-Za-z0-9]{48}\b/g },
  { service: "a Slack token", pattern: /\bxox[abposr]-(?:[0-9]{6,}-){1,3}[A-Za-z0-9-]{8,}/g },
  { service: "a Stripe secret key", pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{24,}\b/g },
];

/** The prefixes every shape above starts with: a text holding none holds no token. */
const ANY_PREFIX = /github_pat_|gh[pousr]_|AKIA|ASIA|ABIA|ACCA|sk-|xox[abposr]-|[sr]k_live_/;

/** Words that mark a documentation value, not a key. */
const PLACEHOLDER = /example|sample|dummy|placeholder|your|here|xxxx|test|fake|redacted|replace|change|insert|token_?here|<|>|\.\.\./i;

export interface SecretMatch {
  service: string;
  start: number;
  end: number;
}

/** The literal tokens a text holds, leaving out placeholders and tails too regular to be random. */
export function findSecrets(text: string): SecretMatch[] {
  // `${VAR}` and `$VAR` references are read at run time: nothing literal to leak.
  if (!/[A-Za-z0-9]{16}/.test(text) || !ANY_PREFIX.test(text)) return [];
  const out: SecretMatch[] = [];
  for (const { service, pattern } of TOKEN_SHAPES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (out.some((m) => start < m.end && m.start < end)) continue;
      if (text[start - 1] === "{" || looksMadeUp(match[0])) continue;
      out.push({ service, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A placeholder word, or a tail with few distinct characters (`AKIAAAAAAAAAAAAAAAAA`, `ghp_xxxx…`). */
function looksMadeUp(token: string): boolean {
  const tail = token.replace(/^[a-z]+[-_](?:[a-z]+\d*[-_])?/i, "");
  if (PLACEHOLDER.test(tail)) return true;
  const distinct = new Set(tail).size;
  if (distinct < Math.min(12, tail.length / 2)) return true;
  // A run of one character or a plain count (`1234567890abcdef`) is typed by a person.
  return /(.)\1{5}|0123456|123456789|abcdefgh/i.test(tail);
}

/** A token shown without its secret part: its service prefix and its last two characters. */
export function maskSecret(token: string): string {
  const prefix = /^[a-z]+[-_](?:[a-z]+\d*[-_])?/i.exec(token)?.[0] ?? token.slice(0, 4);
  return `${prefix}…${token.slice(-2)}`;
}
