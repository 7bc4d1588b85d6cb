import { CircuitBreakers, DEFAULT_BREAKER, type BreakerSettings } from "./breakers.ts";
import { DaySpend } from "./day-spend.ts";
import { RateLimits, type RateLimit } from "./rate-limits.ts";

/** Shared by every task of a process: circuits per model, token buckets, day spend. */
export interface ModelTraffic {
  readonly breakers: CircuitBreakers;
  readonly rateLimits: RateLimits;
  readonly daySpend: DaySpend;
}

export function createTraffic(options: {
  readonly now: () => number;
  /** By `provider` or `provider/model`. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  readonly breaker?: BreakerSettings;
}): ModelTraffic {
  return {
    breakers: new CircuitBreakers(options.breaker ?? DEFAULT_BREAKER),
    rateLimits: new RateLimits(options.rateLimits ?? {}, options.now),
    daySpend: new DaySpend(options.now),
  };
}
