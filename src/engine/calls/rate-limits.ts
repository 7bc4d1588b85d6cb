/** A provider's or a model's limits per minute; an omitted one is not limited by us. */
export interface RateLimit {
  readonly requestsPerMinute?: number;
  readonly inputTokensPerMinute?: number;
  readonly outputTokensPerMinute?: number;
}

/** What one call is expected to use, before it is made. */
export interface Demand {
  readonly input: number;
  readonly output: number;
}

/** A reservation: `settle` gives back what the call did not use (or takes what it used more). */
export interface Ticket {
  /** Milliseconds the call waited for capacity. */
  readonly waitedMs: number;
  settle(used: Demand): void;
}

/** A token bucket refilled continuously at `perMinute`; it may go below zero when a call used more than it reserved. */
class Bucket {
  readonly #perMinute: number;
  #tokens: number;
  #at: number;

  constructor(perMinute: number, now: number) {
    this.#perMinute = perMinute;
    this.#tokens = perMinute;
    this.#at = now;
  }

  /** Milliseconds until `amount` (at most a full bucket) is available. */
  waitFor(amount: number, now: number): number {
    this.#refill(now);
    const need = Math.min(amount, this.#perMinute);
    return this.#tokens >= need ? 0 : Math.ceil(((need - this.#tokens) * 60_000) / this.#perMinute);
  }

  take(amount: number, now: number): void {
    this.#refill(now);
    this.#tokens -= Math.min(amount, this.#perMinute);
  }

  give(amount: number): void {
    this.#tokens = Math.min(this.#perMinute, this.#tokens + amount);
  }

  #refill(now: number): void {
    this.#tokens = Math.min(
      this.#perMinute,
      this.#tokens + ((now - this.#at) * this.#perMinute) / 60_000,
    );
    this.#at = now;
  }
}

/**
 * Token buckets per provider and per model (requests, input tokens and output tokens per
 * minute), shared by every task of the process. A call reserves its estimate before it is
 * made, waiting for capacity, and settles with what it used.
 */
export class RateLimits {
  readonly #limits: ReadonlyMap<string, RateLimit>;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** `limits` by `provider` or `provider/model`. */
  constructor(limits: Readonly<Record<string, RateLimit>>, now: () => number) {
    this.#limits = new Map(Object.entries(limits));
    this.#now = now;
  }

  async reserve(
    model: string,
    demand: Demand,
    sleep: (ms: number) => Promise<void>,
  ): Promise<Ticket> {
    const scopes = [model.slice(0, model.indexOf("/")), model].filter((s) => this.#limits.has(s));
    if (scopes.length === 0) return { waitedMs: 0, settle: () => undefined };
    const parts = scopes.flatMap((scope) => this.#parts(scope, demand));
    let waitedMs = 0;
    for (;;) {
      const now = this.#now();
      const wait = Math.max(0, ...parts.map(({ bucket, amount }) => bucket.waitFor(amount, now)));
      if (wait === 0) {
        for (const { bucket, amount } of parts) bucket.take(amount, now);
        break;
      }
      waitedMs += wait;
      await sleep(wait);
    }
    return {
      waitedMs,
      settle: (used) => {
        for (const { bucket, amount, kind } of parts) {
          if (kind === "requests") continue;
          bucket.give(amount - (kind === "input" ? used.input : used.output));
        }
      },
    };
  }

  #parts(scope: string, demand: Demand) {
    const limit = this.#limits.get(scope) ?? {};
    const parts: { bucket: Bucket; amount: number; kind: "requests" | "input" | "output" }[] = [];
    const add = (
      kind: "requests" | "input" | "output",
      perMinute: number | undefined,
      amount: number,
    ) => {
      if (perMinute === undefined) return;
      const key = `${scope}#${kind}`;
      let bucket = this.#buckets.get(key);
      if (!bucket) {
        bucket = new Bucket(perMinute, this.#now());
        this.#buckets.set(key, bucket);
      }
      parts.push({ bucket, amount, kind });
    };
    add("requests", limit.requestsPerMinute, 1);
    add("input", limit.inputTokensPerMinute, demand.input);
    add("output", limit.outputTokensPerMinute, demand.output);
    return parts;
  }
}
