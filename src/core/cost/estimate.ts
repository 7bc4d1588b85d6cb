import type { Effort, EffortLevels } from "../vocabulary/effort.ts";
import type { Rates } from "./prices.ts";

/**
 * Output tokens at each effort, relative to `high`. Assumed, not measured: the vendors' pages say
 * lower effort writes fewer tokens (thinking, text and tool calls) without a figure. The turn
 * sizes below were read at the providers' defaults, so a factor is relative to the model's default.
 */
const EFFORT_OUTPUT: Record<Effort, number> = {
  low: 0.4,
  medium: 0.7,
  high: 1,
  xhigh: 1.5,
  max: 2.2,
};

/** How much more (or less) output a call writes at `sent` than at the model's default effort. */
export function effortOutputFactor(
  sent: Effort | undefined,
  offered: EffortLevels | undefined,
): number {
  return sent && offered ? EFFORT_OUTPUT[sent] / EFFORT_OUTPUT[offered.default] : 1;
}

/** A cost range in dollars. */
export interface CostRange {
  readonly lowUsd: number;
  readonly highUsd: number;
}

/** What the estimate of a plan's cost is made from. */
export interface PlanEstimateInput {
  readonly steps: number;
  /** Input tokens of a step's first implementer call (the planner's own prompt is a fair guess). */
  readonly promptTokens: number;
  readonly implementer: Rates;
  readonly reviewer: Rates;
  readonly stepReviewRounds: number;
  readonly gateAttempts: number;
  /**
   * Per step, the output factor of its effort for the implementer and the reviewer
   * (`effortOutputFactor`); absent, every step at the models' defaults. Gate fixes take the
   * steps' largest.
   */
  readonly effort?: readonly { readonly implementer: number; readonly reviewer: number }[];
}

/** Assumptions behind the range; the low end is a clean run, the high end uses every round. */
const TURNS = { low: 2, high: 8 };
const TOOL_RESULT_TOKENS = 1_500;
const OUTPUT = { implementerTurn: { low: 400, high: 2_000 }, review: { low: 300, high: 1_200 } };

/**
 * The range a plan's steps may cost, from the routed models' list prices: each step a tool loop
 * and a code review (low: one clean round; high: every review round, then every gate fix).
 * Cache reads are ignored, so the estimate leans high.
 */
export function estimatePlanCost(input: PlanEstimateInput): CostRange {
  const loop = (turns: number, output: number): number => {
    let usd = 0;
    for (let turn = 0; turn < turns; turn++) {
      const prompt = input.promptTokens + turn * (TOOL_RESULT_TOKENS + output);
      usd += (prompt * input.implementer.input + output * input.implementer.output) / 1e6;
    }
    return usd;
  };
  const review = (output: number): number =>
    ((input.promptTokens + 2_000) * input.reviewer.input + output * input.reviewer.output) / 1e6;
  const factors = Array.from(
    { length: input.steps },
    (_, i) => input.effort?.[i] ?? { implementer: 1, reviewer: 1 },
  );
  const round = (usd: number): number => Math.ceil(usd * 100) / 100;
  const rounds = 1 + input.stepReviewRounds;
  let low = 0;
  let high = 0;
  for (const f of factors) {
    low +=
      loop(TURNS.low, OUTPUT.implementerTurn.low * f.implementer) +
      review(OUTPUT.review.low * f.reviewer);
    high +=
      rounds *
      (loop(TURNS.high, OUTPUT.implementerTurn.high * f.implementer) +
        review(OUTPUT.review.high * f.reviewer));
  }
  const fix = {
    implementer: Math.max(...factors.map((f) => f.implementer), Number.MIN_VALUE),
    reviewer: Math.max(...factors.map((f) => f.reviewer), Number.MIN_VALUE),
  };
  const fixes =
    input.gateAttempts *
    (loop(TURNS.high, OUTPUT.implementerTurn.high * fix.implementer) +
      review(OUTPUT.review.high * fix.reviewer));
  return { lowUsd: round(low), highUsd: round(high + fixes) };
}
