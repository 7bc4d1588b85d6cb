import OpenAI from "openai";
import { ProviderError, type ProviderErrorKind } from "../../core/errors.ts";
import { connectionCause, retryAfterMs } from "../http-failures.ts";

/**
 * Classifies an OpenAI SDK error (OpenAI, Azure, and servers that copy its error body:
 * `{ error: { message, type, code, param } }`); only transient kinds come back retryable.
 */
export function toProviderError(provider: string, error: unknown, baseURL: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const make = (
    kind: ProviderErrorKind,
    message: string,
    status?: number,
    retryAfter?: number,
  ): ProviderError =>
    new ProviderError({ provider, kind, message, status, retryAfterMs: retryAfter, cause: error });
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return make("timeout", `request to ${baseURL} timed out`);
  if (error instanceof OpenAI.APIUserAbortError) return make("timeout", "request aborted");
  if (error instanceof OpenAI.APIConnectionError)
    return make("network", `cannot reach ${baseURL}: ${connectionCause(error)}`);
  if (error instanceof OpenAI.APIError) {
    const status = error.status as number | undefined;
    const code = typeof error.code === "string" ? error.code : undefined;
    const type = typeof error.type === "string" ? error.type : undefined;
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : error.message;
    return make(
      kindOf(status, code ?? type, message),
      `${status ?? "?"} ${code ?? type ?? "error"}: ${message}`,
      status,
      retryAfterMs(error.headers as Headers | undefined),
    );
  }
  return make("network", error instanceof Error ? error.message : String(error));
}

function kindOf(
  status: number | undefined,
  code: string | undefined,
  message: string,
): ProviderErrorKind {
  if (code === "insufficient_quota" || code === "billing_hard_limit_reached" || status === 402)
    return "quota";
  if (code === "context_length_exceeded" || /maximum context length|context window/i.test(message))
    return "context_length";
  if (code === "rate_limit_exceeded" || status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 408 || status === 504) return "timeout";
  if (status === 503 || status === 529 || code === "server_is_overloaded") return "overloaded";
  if (status !== undefined && status >= 500) return "server";
  return "invalid_request";
}
