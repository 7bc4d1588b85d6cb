import type { Rates } from "./prices.ts";

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
  const low =
    input.steps * (loop(TURNS.low, OUTPUT.implementerTurn.low) + review(OUTPUT.review.low));
  const rounds = 1 + input.stepReviewRounds;
  const perStepHigh =
    rounds * (loop(TURNS.high, OUTPUT.implementerTurn.high) + review(OUTPUT.review.high));
  const fixes =
    input.gateAttempts *
    (loop(TURNS.high, OUTPUT.implementerTurn.high) + review(OUTPUT.review.high));
  const round = (usd: number): number => Math.ceil(usd * 100) / 100;
  return { lowUsd: round(low), highUsd: round(input.steps * perStepHigh + fixes) };
}
