import { ApiError } from "@google/genai";
import { connectionCause } from "../http-failures.ts";
import { ProviderError, type ProviderErrorKind } from "../../core/errors.ts";

/** The error body Google's APIs send: `{ error: { code, message, status, details } }`. */
interface GoogleErrorBody {
  readonly error?: {
    readonly code?: number;
    readonly message?: string;
    readonly status?: string;
    readonly details?: readonly {
      readonly "@type"?: string;
      readonly retryDelay?: string;
      readonly reason?: string;
      readonly violations?: readonly { readonly quotaId?: string; readonly quotaMetric?: string }[];
    }[];
  };
}

/**
 * Classifies a `@google/genai` error. `RESOURCE_EXHAUSTED` is told apart by its `QuotaFailure`:
 * a per-day quota is terminal (it will not come back within a call's wait), a per-minute one is
 * a rate limit to wait out, for as long as `RetryInfo.retryDelay` says.
 */
export function toProviderError(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const make = (kind: ProviderErrorKind, message: string, status?: number, retryAfterMs?: number) =>
    new ProviderError({ provider, kind, message, status, retryAfterMs, cause: error });
  if (error instanceof ApiError) {
    const body = parseBody(error.message);
    const e = body?.error;
    const message = e?.message ?? error.message;
    const details = e?.details ?? [];
    const retryDelay = details.find((d) =>
      d["@type"]?.endsWith("google.rpc.RetryInfo"),
    )?.retryDelay;
    const quotaIds = details
      .filter((d) => d["@type"]?.endsWith("google.rpc.QuotaFailure"))
      .flatMap((d) => d.violations ?? [])
      .map((v) => v.quotaId ?? v.quotaMetric ?? "");
    const reasons = details.map((d) => d.reason ?? "");
    const status = error.status;
    const kind = kindOf(status, e?.status, message, quotaIds, reasons);
    const quota = quotaIds.length > 0 ? ` (quota ${quotaIds.join(", ")})` : "";
    return make(
      kind,
      `${status} ${e?.status ?? "error"}: ${message}${quota}`,
      status,
      kind === "rate_limit" ? seconds(retryDelay) : undefined,
    );
  }
  if (error instanceof Error && error.name === "AbortError")
    return make("timeout", "request aborted or timed out");
  if (error instanceof TypeError)
    return make("network", `connection failed: ${connectionCause(error)}`);
  return make("network", error instanceof Error ? error.message : String(error));
}

function kindOf(
  status: number,
  rpcStatus: string | undefined,
  message: string,
  quotaIds: readonly string[],
  reasons: readonly string[],
): ProviderErrorKind {
  if (status === 429 || rpcStatus === "RESOURCE_EXHAUSTED") {
    // Every 429 says "check your plan and billing details"; the quota ids tell them apart.
    if (quotaIds.some((id) => /PerDay/i.test(id))) return "quota_day";
    if (quotaIds.length > 0) return "rate_limit";
    if (/prepayment|credits are depleted|billing account/i.test(message)) return "quota";
    return "rate_limit";
  }
  if (reasons.includes("API_KEY_INVALID") || /API key not valid/i.test(message)) return "auth";
  if (status === 401 || status === 403) return "auth";
  if (/token count|exceeds the maximum number of tokens|context window/i.test(message))
    return "context_length";
  if (status === 404) return "not_found";
  if (status === 503 || rpcStatus === "UNAVAILABLE") return "overloaded";
  if (status === 504 || rpcStatus === "DEADLINE_EXCEEDED") return "timeout";
  if (status >= 500) return "server";
  return "invalid_request";
}

function parseBody(message: string): GoogleErrorBody | undefined {
  try {
    return JSON.parse(message) as GoogleErrorBody;
  } catch {
    return undefined;
  }
}

/** `"7s"`, `"0.5s"` → milliseconds. */
function seconds(value: string | undefined): number | undefined {
  const match = value ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
