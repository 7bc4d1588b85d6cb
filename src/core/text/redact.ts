/**
 * Shapes of credentials. Each is matched whole: a GitHub installation token of the current
 * `ghs_<app id>_<JWT>` form with all three parts of its JWT, a PEM or PGP block from its first
 * line to its last, an HTTP authorization header's whole value.
 *
 * Every pattern runs in time linear in the text (`test/core/text/linear-time.test.ts` holds them
 * to it): no lookbehind (V8 scans back over a whitespace run at every position of it), and each
 * pattern starts with a literal, so a failed attempt costs the run after that literal only. What
 * precedes a secret and stays is the group `keep`; a condition on the secret itself ("has a
 * digit") is checked on the match, not by a lookahead that would rescan the rest of a word at
 * every name inside it.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // GitHub: classic and installation tokens, with the JWT of the newer installation tokens.
  /\bgh[pousr]_[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]{2,}){0,2}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  // Private keys: PEM (RSA, EC, OpenSSH, PKCS#8, encrypted) and PGP blocks.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  // HTTP authorization: the whole credential after the scheme, in headers and in curl flags.
  /\b(?<keep>Authorization\s*[:=]\s*["']?(?:Basic|Bearer|token|Digest|Negotiate)\s+)[^\s"',;]+/gi,
  /\b(?<keep>(?:Bearer|token|Basic)\s+)(?<digit>[A-Za-z0-9._~+/-]{16,}=*)/gi,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Model providers.
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, OpenRouter, DeepSeek, compatible
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys (Gemini)
  /\bya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth access tokens
  /\bgsk_[A-Za-z0-9]{40,}/g, // Groq
  /\bxai-[A-Za-z0-9]{40,}/g, // xAI
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\bpplx-[A-Za-z0-9]{40,}/g, // Perplexity
  /\br8_[A-Za-z0-9]{30,}/g, // Replicate
  /\bfw_[A-Za-z0-9]{20,}/g, // Fireworks
  // Cloud and package registries.
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /(?<keep>aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi, // AWS secret keys
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bpypi-[A-Za-z0-9_-]{50,}/g,
  /\bdckr_pat_[A-Za-z0-9_-]{20,}/g, // Docker Hub
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}/g, // Stripe
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, // SendGrid
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  // A password in a URL, and an environment-style assignment of a secret-looking value.
  /(?<keep>:\/\/[^/\s:@]{1,64}:)[^@\s/]{6,}(?=@)/g,
  /\b(?<keep>[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)\s*[=:]\s*["']?)(?<digit>[^\s"'$]{12,})/g,
];

/** A match's replacement: what it keeps before the secret, or the match itself when its secret lacks a digit. */
function redactMatch(match: string, ...args: unknown[]): string {
  const groups = args.at(-1) as Partial<Record<"keep" | "digit", string>> | undefined;
  if (typeof groups !== "object") return REDACTED;
  if (groups.digit !== undefined && !/\d/.test(groups.digit)) return match;
  return `${groups.keep ?? ""}${REDACTED}`;
}

export const REDACTED = "[REDACTED]";

/** Replaces anything shaped like a credential, plus the given known secret values. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = redactKnown(text, known);
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, redactMatch);
  return out;
}

/**
 * Only the given known secret values, not the credential shapes: for opaque data (signatures,
 * encrypted reasoning) where a shape can occur by chance and a changed byte breaks it.
 */
export function redactKnown(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Every string inside a JSON value, redacted (by `redact`, told the key the string is under);
 * the same value when nothing changed.
 */
export function redactDeep<T>(
  value: T,
  known: readonly string[] = [],
  redact: (text: string, known: readonly string[], key?: string) => string = redactSecrets,
  key?: string,
): T {
  if (typeof value === "string") return redact(value, known, key) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Array.isArray(value)
    ? value.map((v: unknown, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const out = entries.map(([k, v]) => [k, redactDeep(v, known, redact, k)] as const);
  if (out.every(([, r], i) => r === entries[i]?.[1])) return value;
  return (Array.isArray(value) ? out.map(([, v]) => v) : Object.fromEntries(out)) as T;
}
