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
  if (typeof value === "string") {
    const out = redactSecrets(value, known);
    return (out === value ? value : out) as T;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = redactDeep(v, known);
      changed ||= r !== v;
      return r;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = redactDeep(v, known);
      changed ||= r !== v;
      out[k] = r;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
