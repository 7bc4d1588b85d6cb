import type { Usage } from "./usage.ts";

/** Dollars per one million tokens of each kind. */
export interface Rates {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

/** Rates for every token of a request whose prompt is longer than `aboveTokens`. */
export interface LongPromptRates extends Rates {
  readonly aboveTokens: number;
}

/** A model's list price: its rates, a long-prompt tier, and announced changes by day. */
export interface Price extends Rates {
  readonly longPrompt?: LongPromptRates;
  readonly changes?: readonly (Rates & { readonly from: string; longPrompt?: LongPromptRates })[];
}

/** The rates that bill one call: the change in force on `day` (UTC `yyyy-mm-dd`), then the prompt's length. */
export function ratesFor(price: Price, usage: Usage, day?: string): Rates {
  let current: Rates & { longPrompt?: LongPromptRates } = price;
  if (day !== undefined) {
    for (const change of price.changes ?? []) if (change.from <= day) current = change;
  }
  const prompt = usage.input.noCache + usage.input.cacheRead + usage.input.cacheWrite;
  const long = current.longPrompt;
  return long && prompt > long.aboveTokens ? long : current;
}

/**
 * Dollars for one call, rounded to micro-dollars so sums stay exact enough to compare.
 * `usage.input.noCache` excludes cached tokens and `usage.output` includes reasoning tokens,
 * whatever the provider's own counts were (the adapters normalise them).
 */
export function costOf(usage: Usage, price: Price, day?: string): number {
  const rates = ratesFor(price, usage, day);
  const micro =
    usage.input.noCache * rates.input +
    usage.input.cacheRead * rates.cacheRead +
    usage.input.cacheWrite * rates.cacheWrite +
    usage.output * rates.output;
  return Math.round(micro) / 1_000_000;
}
