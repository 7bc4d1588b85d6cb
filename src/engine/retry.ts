import { ProviderError } from "../core/errors.ts";

/** How often and how patiently a failed provider call is tried again. */
export interface RetrySettings {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export interface RetryPolicy extends RetrySettings {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

/**
 * Our one retry policy for provider calls: only transient `ProviderError`s, capped exponential
 * backoff with full jitter, and the provider's retry-after when it gives one (never less).
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= policy.attempts)
        throw error;
      const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)) * policy.random();
      const delay = Math.min(policy.capMs, Math.max(backoff, error.retryAfterMs ?? 0));
      policy.onRetry?.(error, attempt, delay);
      await policy.sleep(delay);
    }
  }
}
