import { ProviderError, type RetryNote } from "../../core/errors.ts";

/** How often and how patiently a failed provider call is tried again. */
export interface RetrySettings {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseMs: number;
  /** Longest backoff of our own between two tries (a provider's retry-after may ask for more). */
  readonly capMs: number;
  /** Longest total wait for one call; a retry that would wait past it is not made. */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  attempts: 6,
  baseMs: 1_000,
  capMs: 30_000,
  maxWaitMs: 120_000,
};

export interface RetryPolicy extends RetrySettings {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

/**
 * Our one retry policy for provider calls: only transient `ProviderError`s, capped exponential
 * backoff with full jitter, never sooner than the provider's retry-after, and never more than
 * `maxWaitMs` of waiting in all. Returns the retries made; a final error carries them too.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
): Promise<{ value: T; retries: RetryNote[] }> {
  const retries: RetryNote[] = [];
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await call(), retries };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)) * policy.random();
      const delay = Math.ceil(Math.max(backoff, error.retryAfterMs ?? 0));
      if (!error.retryable || attempt >= policy.attempts || waited + delay > policy.maxWaitMs)
        throw retries.length > 0 ? error.withRetries(retries) : error;
      retries.push({ kind: error.kind, waitMs: delay });
      waited += delay;
      policy.onRetry?.(error, attempt, delay);
      await policy.sleep(delay);
    }
  }
}
