import { z } from "zod";
import { InvalidInputError, type Problem } from "../errors.ts";
import { ModelRef } from "../vocabulary/model-ref.ts";
import type { Price } from "../cost/prices.ts";
import { EffortLevels } from "../vocabulary/effort.ts";

export const Capability = z.enum([
  "code",
  "analysis",
  "planning",
  "review",
  "complex_reasoning",
  "docs",
  "simple_tasks",
]);
export type Capability = z.infer<typeof Capability>;

export const Tier = z.enum(["fast", "standard", "advanced"]);
export type Tier = z.infer<typeof Tier>;

/** Dollars per one million tokens. */
const Rates = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cache_read: z.number().min(0),
  cache_write: z.number().min(0),
});

/** One model as `models.yaml` and the config's `models` describe it. */
export const ModelEntry = z.strictObject({
  tier: Tier,
  capabilities: z.array(Capability).min(1),
  /** Tokens in and out together. */
  context_window: z.number().int().positive(),
  max_output: z.number().int().positive(),
  /** How the provider caches prompts: `explicit` breakpoints, `implicit` prefix reuse, or `none`. */
  cache: z.enum(["explicit", "implicit", "none"]),
  price: Rates,
  /** Rates for every token of a request whose prompt (cached tokens included) is longer. */
  long_prompt: z
    .strictObject({ above_tokens: z.number().int().positive(), price: Rates })
    .optional(),
  /** Announced price changes, by the UTC day they take effect. */
  price_changes: z
    .array(
      z.strictObject({
        from: z.iso.date(),
        price: Rates,
        long_prompt: z
          .strictObject({ above_tokens: z.number().int().positive(), price: Rates })
          .optional(),
      }),
    )
    .optional(),
  /** Runs on hardware the user owns: its price is an estimate and cost tables label it "local". */
  local: z.boolean().optional(),
  /** The effort levels the model's API takes (absent: it takes none), and its default. */
  effort: EffortLevels.optional(),
  /** Where the price was read, and on which day. */
  source: z.string().min(1).optional(),
  checked: z.iso.date().optional(),
  /**
   * A retirement the vendor announced: from this UTC day requests to the model fail. Only an
   * announced date (a deprecation), never a "not sooner than" floor.
   */
  retires: z
    .strictObject({
      on: z.iso.date(),
      /** The vendor's page that announces it, and the day it was read. */
      source: z.string().min(1),
      checked: z.iso.date(),
    })
    .optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

/** The shipped table (`models.yaml`). */
export const ModelTable = z.strictObject({
  as_of: z.iso.date(),
  models: z.record(ModelRef, ModelEntry),
});
export type ModelTable = z.infer<typeof ModelTable>;

/** A config's additions and changes: a new model needs every field, a known one only its changes. */
export const ModelOverrides = z.record(ModelRef, ModelEntry.partial());
export type ModelOverrides = z.infer<typeof ModelOverrides>;

/** One model as the engine sees it. */
export interface ModelInfo {
  /** `provider/model`. */
  readonly ref: string;
  readonly provider: string;
  readonly tier: Tier;
  readonly capabilities: readonly Capability[];
  readonly contextWindow: number;
  readonly maxOutput: number;
  readonly cache: "explicit" | "implicit" | "none";
  readonly price: Price;
  readonly local: boolean;
  /** Where the price comes from: the shipped table (with its source) or a config. */
  readonly priceSource: string;
  /** The UTC day from which the vendor retires it, when announced. */
  readonly retires?: string;
  /** The effort levels its API takes; absent when a request may name none. */
  readonly effort?: EffortLevels;
}

export interface ModelRegistry {
  /** The day the shipped table was last checked. */
  readonly asOf: string;
  readonly models: ReadonlyMap<string, ModelInfo>;
}

const TIER_ORDER: Record<Tier, number> = { fast: 0, standard: 1, advanced: 2 };

export interface OverridePolicy {
  /** Where the overrides come from, for errors and price sources. */
  readonly source?: string;
  /**
   * Whether the overrides may price a shipped model below its list price. A host whose budgets
   * span repositories (the GitHub App) says no: a repository cannot make its calls look cheap.
   */
  readonly mayLowerPrices?: boolean;
}

/** The registry from the shipped table, with a config's overrides applied. */
export function buildRegistry(
  table: ModelTable,
  overrides: ModelOverrides = {},
  policy: OverridePolicy = {},
): ModelRegistry {
  const source = policy.source ?? "config";
  const problems: Problem[] = [];
  const models = new Map<string, ModelInfo>();
  for (const [ref, entry] of Object.entries(table.models)) {
    models.set(ref, toInfo(ref, entry, entry.source ?? "models.yaml"));
  }
  for (const [ref, change] of Object.entries(overrides)) {
    const known = table.models[ref];
    const merged = ModelEntry.safeParse({ ...known, ...change });
    if (!merged.success) {
      const missing = merged.error.issues.map((i) => i.path.join(".") || "(entry)");
      problems.push({
        path: `models.${ref}`,
        message: known
          ? `invalid: ${merged.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`
          : `${ref} is not in the shipped table, so it needs every field; missing or invalid: ${[...new Set(missing)].join(", ")}`,
      });
      continue;
    }
    if (known && change.price && policy.mayLowerPrices === false) {
      const lower = (Object.keys(known.price) as (keyof typeof known.price)[]).filter(
        (k) => merged.data.price[k] < known.price[k],
      );
      if (lower.length > 0) {
        problems.push({
          path: `models.${ref}.price`,
          message: `${lower.join(", ")} below the list price of ${ref}; a repository may raise a known model's price, not lower it`,
        });
        continue;
      }
    }
    models.set(ref, toInfo(ref, merged.data, change.price ? source : (known?.source ?? source)));
  }
  if (problems.length > 0) throw new InvalidInputError(source, problems);
  return { asOf: table.as_of, models };
}

function toInfo(ref: string, entry: ModelEntry, priceSource: string): ModelInfo {
  const rates = (r: z.infer<typeof Rates>) => ({
    input: r.input,
    output: r.output,
    cacheRead: r.cache_read,
    cacheWrite: r.cache_write,
  });
  const price: Price = {
    ...rates(entry.price),
    ...(entry.long_prompt
      ? {
          longPrompt: {
            aboveTokens: entry.long_prompt.above_tokens,
            ...rates(entry.long_prompt.price),
          },
        }
      : {}),
    ...(entry.price_changes
      ? {
          changes: entry.price_changes.map((c) => ({
            from: c.from,
            ...rates(c.price),
            ...(c.long_prompt
              ? {
                  longPrompt: {
                    aboveTokens: c.long_prompt.above_tokens,
                    ...rates(c.long_prompt.price),
                  },
                }
              : {}),
          })),
        }
      : {}),
  };
  return {
    ref,
    provider: ref.slice(0, ref.indexOf("/")),
    tier: entry.tier,
    capabilities: entry.capabilities,
    contextWindow: entry.context_window,
    maxOutput: entry.max_output,
    cache: entry.cache,
    price,
    local: entry.local ?? false,
    priceSource,
    ...(entry.retires ? { retires: entry.retires.on } : {}),
    ...(entry.effort ? { effort: entry.effort } : {}),
  };
}

/** Every model reference in `refs` that the registry does not know, as problems at `path`. */
export function unknownModels(
  registry: ModelRegistry,
  refs: readonly { path: string; ref: string }[],
): Problem[] {
  const known = [...registry.models.keys()].sort();
  return refs
    .filter(({ ref }) => !registry.models.has(ref))
    .map(({ path, ref }) => ({
      path,
      message: `unknown model ${ref}; add it under models (with its price) or use one of: ${known.join(", ")}`,
    }));
}

/**
 * Every model reference in `refs` that has no price or that its vendor retires on or before
 * `on` (a UTC day the caller gives: core reads no clock), as problems at `path`.
 */
export function unservableModels(
  registry: ModelRegistry,
  refs: readonly { path: string; ref: string }[],
  on: string,
): Problem[] {
  return refs.flatMap(({ path, ref }) => {
    const info = registry.models.get(ref);
    if (!info) return [{ path, message: `${ref} has no price in the model table` }];
    if (info.retires !== undefined && info.retires <= on)
      return [{ path, message: `${ref} is retired from ${info.retires} (on ${on})` }];
    return [];
  });
}

export interface ModelQuery {
  readonly capability?: Capability;
  readonly tier?: Tier;
  /** Most dollars per million input tokens (list price, short prompts). */
  readonly maxInputPrice?: number;
  /** Only these providers. */
  readonly providers?: ReadonlySet<string>;
}

/**
 * Models matching a query, cheapest first (input + output list price, then cache reads, then
 * tier, then name),
 * so that the first is the cheapest model for a capability.
 */
export function findModels(registry: ModelRegistry, query: ModelQuery = {}): ModelInfo[] {
  return [...registry.models.values()]
    .filter(
      (m) =>
        (!query.capability || m.capabilities.includes(query.capability)) &&
        (!query.tier || m.tier === query.tier) &&
        (query.maxInputPrice === undefined || m.price.input <= query.maxInputPrice) &&
        (!query.providers || query.providers.has(m.provider)),
    )
    .sort(
      (a, b) =>
        a.price.input + a.price.output - (b.price.input + b.price.output) ||
        a.price.cacheRead - b.price.cacheRead ||
        TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
        a.ref.localeCompare(b.ref),
    );
}

/** The cheapest model with a capability, among the given providers. */
export function cheapestFor(
  registry: ModelRegistry,
  capability: Capability,
  providers?: ReadonlySet<string>,
): ModelInfo | undefined {
  return findModels(registry, { capability, ...(providers ? { providers } : {}) })[0];
}

export function tierRank(tier: Tier): number {
  return TIER_ORDER[tier];
}
