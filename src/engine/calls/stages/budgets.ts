import { roundUsd } from "../../../core/cost/ledger.ts";
import { ratesFor } from "../../../core/cost/prices.ts";
import { BudgetExceededError, NoEligibleModelError } from "../../../core/errors.ts";
import type { ModelInfo, ModelRegistry } from "../../../core/models/registry.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { ModelResponse } from "../../../ports/language-model.ts";
import type { DayLimit, DaySpend, Hold } from "../day-spend.ts";
import { estimateInputTokens } from "../tokens.ts";
import { modelOf, type CallRequest, type PendingCall, type Stage } from "./stage.ts";

export interface BudgetsDeps {
  readonly registry: Pick<ModelRegistry, "models">;
  readonly traffic: { readonly daySpend: Pick<DaySpend, "hold" | "holdRest"> };
  /** Day budgets this engine's calls count against. */
  readonly dayLimits: readonly DayLimit[];
  readonly clock: Clock;
}

/**
 * The most one call can cost, in dollars; or `"what is left"` for a call that is stopped at
 * whatever it is given (an agent run): the task's budget left, or, with no task budget, what
 * the day budgets have left.
 */
export type MostCost<Req> = (
  info: ModelInfo,
  call: PendingCall<Req>,
  now: number,
) => number | typeof WHAT_IS_LEFT;

export const WHAT_IS_LEFT = "what is left";

/**
 * Holds the most a call can cost (`most`; for a model call, its prompt at full input price and
 * every output token it may write) against the task's budget and the day budgets; a call that
 * could pass one is not made. The next stages see the amount held as `maxUsd`.
 */
export function budgets<Req = CallRequest, Res = ModelResponse>(
  deps: BudgetsDeps,
  most: MostCost<Req>,
): Stage<Req, Res> {
  return (next) => async (call) => {
    const model = modelOf(call);
    const info = deps.registry.models.get(model);
    if (!info)
      throw new NoEligibleModelError(`model ${model} has no known price; it is not called`);
    const bound = most(info, call, deps.clock.now());
    const left = call.site.budgetLeftUsd ?? null;
    const refuse = (maxUsd: number): never => {
      throw new BudgetExceededError(
        "task",
        `the task has $${Math.max(0, (left ?? 0) - call.spentUsd).toFixed(4)} of its budget left; the next ${call.site.role} call to ${model} could cost up to $${maxUsd.toFixed(4)}`,
      );
    };
    let maxUsd: number | null;
    if (bound === WHAT_IS_LEFT) {
      // Stopped at what it is given: all the task has left, which it cannot pass.
      maxUsd = left === null ? null : left - call.spentUsd;
      if (maxUsd !== null && maxUsd <= 0) refuse(0);
    } else {
      maxUsd = bound;
      if (left !== null && call.spentUsd + maxUsd > left) refuse(maxUsd);
    }
    const hold = await holdDay(deps, maxUsd);
    const held = hold?.usd ?? maxUsd;
    try {
      const result = await next(held === null ? call : { ...call, maxUsd: held });
      hold?.settle(result.record.costUsd);
      return result;
    } catch (error) {
      hold?.settle(0);
      throw error;
    }
  };
}

function holdDay(deps: BudgetsDeps, maxUsd: number | null): Promise<Hold> | null {
  if (deps.dayLimits.length === 0) return null;
  return maxUsd === null
    ? deps.traffic.daySpend.holdRest(deps.dayLimits)
    : deps.traffic.daySpend.hold(deps.dayLimits, maxUsd);
}

/** A model call's most: `maxCost` of its request. */
export const modelCallMost: MostCost<CallRequest> = (info, call, now) =>
  maxCost(info, call.request, now);

/** The most one call can cost: the estimated prompt uncached, and the full output allowance. */
export function maxCost(info: ModelInfo, request: CallRequest, now: number): number {
  const input = estimateInputTokens(info.provider, request);
  const output = Math.min(request.maxOutputTokens, info.maxOutput);
  const usage = { input: { noCache: input, cacheRead: 0, cacheWrite: 0 }, output };
  const day = new Date(now).toISOString().slice(0, 10);
  const rates = ratesFor(info.price, usage, day);
  // A cache write costs more than plain input on some providers: count the dearer.
  const perInput = Math.max(rates.input, rates.cacheWrite);
  return roundUsd((input * perInput + output * rates.output) / 1_000_000 + 0.000_001);
}
