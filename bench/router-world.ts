/**
 * The worlds the router simulator runs in: every parameter is here, none in the simulator.
 * Success probabilities are made up to span the cases that matter (they are not measurements);
 * prices come from the dated registry (`models.yaml`) through each model's token usage.
 */
export interface WorldModel {
  readonly ref: string;
  /** Tokens one implementer run of a task uses: prompt (no cache), cached prompt, output. */
  readonly usage: { readonly input: number; readonly cached: number; readonly output: number };
  /** Chance a task of a class succeeds with this model as implementer, by risk then area. */
  readonly success: Record<string, Record<string, number>>;
}

export interface World {
  readonly name: string;
  readonly description: string;
  readonly models: readonly WorldModel[];
  readonly areas: readonly string[];
  readonly risks: readonly string[];
  /** Share of tasks of each risk in the stream. */
  readonly riskMix: Record<string, number>;
  /** The rule table's choice per risk (the seeds' static table: high → strong, low → cheap). */
  readonly table: Record<string, string>;
  /** Dollars one successful task is worth to the user (the `balanced` and `learning` utility). */
  readonly successValueUsd: number;
}

const USAGE = {
  strong: { input: 30_000, cached: 60_000, output: 6_000 },
  mid: { input: 30_000, cached: 60_000, output: 6_000 },
  cheap: { input: 30_000, cached: 60_000, output: 7_000 },
};

const AREAS = ["docs", "core", "api"];
const RISKS = ["low", "medium", "high"];

/** Success by risk, the same in every area except `core`, which is harder by `coreGap`. */
function table(
  low: number,
  medium: number,
  high: number,
  coreGap: number,
): Record<string, Record<string, number>> {
  const byArea = (p: number) => ({ docs: p, api: p, core: Math.max(0, p - coreGap) });
  return { low: byArea(low), medium: byArea(medium), high: byArea(high) };
}

const common = {
  areas: AREAS,
  risks: RISKS,
  riskMix: { low: 0.5, medium: 0.35, high: 0.15 },
  table: {
    low: "google/gemini-3.5-flash-lite",
    medium: "anthropic/claude-sonnet-5-5",
    high: "anthropic/claude-opus-5-5",
  },
  successValueUsd: 2,
};

export const WORLDS: readonly World[] = [
  {
    name: "cheap-is-close",
    description: "the cheap model is nearly as good as the strong one except on hard classes",
    ...common,
    models: [
      {
        ref: "anthropic/claude-opus-5-5",
        usage: USAGE.strong,
        success: table(0.95, 0.9, 0.85, 0.05),
      },
      {
        ref: "anthropic/claude-sonnet-5-5",
        usage: USAGE.mid,
        success: table(0.93, 0.87, 0.78, 0.08),
      },
      {
        ref: "google/gemini-3.5-flash-lite",
        usage: USAGE.cheap,
        success: table(0.91, 0.83, 0.6, 0.15),
      },
    ],
  },
  {
    name: "cheap-is-far",
    description: "the cheap model is much worse everywhere; the mid one is close to the strong one",
    ...common,
    models: [
      {
        ref: "anthropic/claude-opus-5-5",
        usage: USAGE.strong,
        success: table(0.95, 0.9, 0.85, 0.05),
      },
      {
        ref: "anthropic/claude-sonnet-5-5",
        usage: USAGE.mid,
        success: table(0.92, 0.86, 0.75, 0.08),
      },
      {
        ref: "google/gemini-3.5-flash-lite",
        usage: USAGE.cheap,
        success: table(0.6, 0.45, 0.25, 0.15),
      },
    ],
  },
];

export const SEEDS = [1, 2, 3];
export const TASKS = 600;
/** When a price cut and a quality drop happen in the adaptation runs (task index). */
export const CHANGE_AT = 300;
