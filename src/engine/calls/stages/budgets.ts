import { roundUsd } from "../../../core/cost/ledger.ts";
import { ratesFor } from "../../../core/cost/prices.ts";
import { BudgetExceededError, NoEligibleModelError } from "../../../core/errors.ts";
import type { ModelInfo, ModelRegistry } from "../../../core/models/registry.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { DayLimit, DaySpend } from "../day-spend.ts";
import { estimateInputTokens } from "../tokens.ts";
import { modelOf, type CallRequest, type Stage } from "./stage.ts";

export interface BudgetsDeps {
  readonly registry: Pick<ModelRegistry, "models">;
  readonly traffic: { readonly daySpend: Pick<DaySpend, "hold"> };
  /** Day budgets this engine's calls count against. */
  readonly dayLimits: readonly DayLimit[];
  readonly clock: Clock;
}

/**
 * Holds the most a call can cost (its prompt at full input price, every output token it may
 * write) against the task's budget and the day budgets; a call that could pass one is not made.
 */
export function budgets(deps: BudgetsDeps): Stage {
  return (next) => async (call) => {
    const model = modelOf(call);
    const info = deps.registry.models.get(model);
    if (!info)
      throw new NoEligibleModelError(`model ${model} has no known price; it is not called`);
    const maxUsd = maxCost(info, call.request, deps.clock.now());
    const left = call.site.budgetLeftUsd;
    if (left !== undefined && left !== null && call.spentUsd + maxUsd > left)
      throw new BudgetExceededError(
        "task",
        `the task has $${Math.max(0, left - call.spentUsd).toFixed(4)} of its budget left; the next ${call.site.role} call to ${model} could cost up to $${maxUsd.toFixed(4)}`,
      );
    const hold =
      deps.dayLimits.length > 0 ? await deps.traffic.daySpend.hold(deps.dayLimits, maxUsd) : null;
    try {
      const result = await next(call);
      hold?.settle(result.record.costUsd);
      return result;
    } catch (error) {
      hold?.settle(0);
      throw error;
    }
  };
}

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
