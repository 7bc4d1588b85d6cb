const SECRET_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9_]{20,255}\b/g, // GitHub tokens, incl. ghs_<appid>_… installation tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, // OpenAI and compatible
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:Bearer|token)\s+[A-Za-z0-9._~+/-]{20,}=*/gi,
  /(?<=:\/\/[^/\s:@]{1,64}:)[^@\s/]{6,}(?=@)/g, // password in a URL
];

export const REDACTED = "[REDACTED]";

/** Replaces anything shaped like a credential, plus the given known secret values. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Every string inside a JSON value, redacted; the same value when nothing changed. */
export function redactDeep<T>(value: T, known: readonly string[] = []): T {
  if (typeof value === "string") return redactSecrets(value, known) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Array.isArray(value)
    ? value.map((v: unknown, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const out = entries.map(([k, v]) => [k, redactDeep(v, known)] as const);
  if (out.every(([, r], i) => r === entries[i]?.[1])) return value;
  return (Array.isArray(value) ? out.map(([, v]) => v) : Object.fromEntries(out)) as T;
}
