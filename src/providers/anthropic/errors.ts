import Anthropic from "@anthropic-ai/sdk";
import { ProviderError, type ProviderErrorKind } from "../../core/errors.ts";
import { retryAfterMs } from "../http-failures.ts";

/** Classifies an SDK error; only transient kinds come back retryable. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof Anthropic.APIConnectionTimeoutError)
    return make("timeout", "request timed out", undefined, error);
  if (error instanceof Anthropic.APIUserAbortError)
    return make("timeout", "request aborted", undefined, error);
  if (error instanceof Anthropic.APIConnectionError)
    return make("network", "connection failed", undefined, error);
  if (error instanceof Anthropic.APIError) {
    const body = (error.error as { error?: { type?: string; message?: string } } | undefined)
      ?.error;
    const message = body?.message ?? error.message;
    const status = error.status as number | undefined;
    const headers = error.headers as Headers | undefined;
    return make(
      kindOf(status, body?.type, message),
      `${status ?? "?"} ${body?.type ?? "error"}: ${message}`,
      status,
      error,
      retryAfterMs(headers),
    );
  }
  return make("network", error instanceof Error ? error.message : String(error), undefined, error);
}

function kindOf(
  status: number | undefined,
  type: string | undefined,
  message: string,
): ProviderErrorKind {
  if (type === "overloaded_error" || status === 529) return "overloaded";
  if (/credit balance|usage limit|spend limit|billing/i.test(message) || status === 402)
    return "quota";
  if (/prompt is too long|context window|maximum context/i.test(message)) return "context_length";
  if (status === 429 || type === "rate_limit_error") return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 408 || status === 504) return "timeout";
  if (status !== undefined && status >= 500) return "server";
  return "invalid_request";
}

function make(
  kind: ProviderErrorKind,
  message: string,
  status: number | undefined,
  cause: unknown,
  retryAfterMs?: number,
): ProviderError {
  return new ProviderError({ provider: "anthropic", kind, message, status, retryAfterMs, cause });
}
