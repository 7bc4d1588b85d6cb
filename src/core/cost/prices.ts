import { z } from "zod";
import type { Usage } from "./usage.ts";

/** Prices in US dollars per one million tokens. */
export const Price = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative(),
});
export type Price = z.infer<typeof Price>;

export const PriceTable = z.strictObject({
  /** The day these prices were read from the providers' price pages. */
  asOf: z.iso.date(),
  /** Prices by model reference `provider/model`. */
  models: z.record(z.string(), Price),
});
export type PriceTable = z.infer<typeof PriceTable>;

/**
 * List prices for standard (non-batch) requests of the models in the default routing, for
 * prompts under each provider's long-context threshold. Anthropic's cache write is the 5-minute
 * rate; Gemini's cache write has no per-token charge (storage is billed by time, not modelled).
 */
export const DEFAULT_PRICES: PriceTable = {
  asOf: "2025-11-01",
  models: {
    "anthropic/claude-opus-4-5": { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
    "anthropic/claude-sonnet-4-5": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    "anthropic/claude-haiku-4-5": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    "google/gemini-2.5-pro": { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
    "google/gemini-2.5-flash": { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 },
    "google/gemini-2.5-flash-lite": { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0 },
  },
};

export function mergePrices(
  base: PriceTable,
  overrides: Record<string, Price> | undefined,
): PriceTable {
  return { asOf: base.asOf, models: { ...base.models, ...overrides } };
}

/** Dollars for one call. Rounded to micro-dollars so sums stay exact enough to compare. */
export function costOf(usage: Usage, price: Price): number {
  const micro =
    usage.input.noCache * price.input +
    usage.input.cacheRead * price.cacheRead +
    usage.input.cacheWrite * price.cacheWrite +
    usage.output * price.output;
  return Math.round(micro) / 1_000_000;
}
