// Opaque reasoning state as the doubles issue it: a payload the double can read back and check
// (which model wrote it, what it said, what came before it), sealed with an HMAC so that a
// changed byte is caught the way a vendor's signature check catches it. Deterministic: the same
// conversation gets the same bytes, so two runs can be compared request by request.
import { createHash, createHmac } from "node:crypto";

const KEY = "orchestrator-wire-double";

/** Base64 of the payload and its MAC, like the vendors' base64 signatures. */
export function seal(payload: Readonly<Record<string, unknown>>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64");
  return `${body}${createHmac("sha256", KEY).update(body).digest("base64")}`;
}

/** The payload of a sealed token, or null when it is not one of ours or a byte changed. */
export function unseal(token: unknown): Record<string, unknown> | null {
  if (typeof token !== "string" || token.length <= 44) return null;
  const body = token.slice(0, -44);
  if (createHmac("sha256", KEY).update(body).digest("base64") !== token.slice(-44)) return null;
  try {
    const value = JSON.parse(Buffer.from(body, "base64").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * JSON with sorted keys, without `cache_control` markers and null fields: what a prefix check
 * compares (key order is not content, a cache breakpoint that moves from turn to turn changes no
 * token, and an answer's `citations: null` sent back without it is the same block).
 */
export function canonical(value: unknown): string {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>)
        .filter(([k, v]) => k !== "cache_control" && v !== undefined && v !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return JSON.stringify(strip(value));
}

/** A short digest of a value's canonical JSON. */
export function digest(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex").slice(0, 32);
}
