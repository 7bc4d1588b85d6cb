import { NoEligibleModelError, ProviderError } from "../../../core/errors.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { Logger } from "../../../ports/logger.ts";
import type { CircuitBreakers } from "../breakers.ts";
import { callLogger, type Stage } from "./stage.ts";

export interface FallbackDeps {
  readonly traffic: { readonly breakers: Pick<CircuitBreakers, "allows"> };
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Tries the candidates in order: a model whose circuit is open is passed over (never the last
 * one), and a model that fails in a way another model may not (an outage, its quota, its key,
 * a prompt too long for its window) hands over to the next. The record names the model that
 * answered and the ones left before it, with why.
 */
export function fallback(deps: FallbackDeps): Stage {
  return (next) => async (call) => {
    const left: { model: string; reason: string }[] = [];
    const { candidates } = call;
    if (candidates.length === 0)
      throw new NoEligibleModelError(`no model may answer for ${call.site.role}`);
    for (const [i, model] of candidates.entries()) {
      const last = i === candidates.length - 1;
      if (!last && !deps.traffic.breakers.allows(model, deps.clock.now())) {
        left.push({ model, reason: "circuit open" });
        continue;
      }
      try {
        const result = await next({ ...call, model });
        if (left.length === 0) return result;
        return { ...result, record: { ...result.record, fallback: left } };
      } catch (error) {
        if (last || !handsOver(error)) throw error;
        const reason = `${error.kind}: ${error.message}`.slice(0, 300);
        left.push({ model, reason });
        callLogger(deps.logger, call, model).warn(
          { kind: error.kind, next: candidates[i + 1] },
          "model failed, falling back",
        );
      }
    }
    throw new Error("unreachable");
  };
}

/** A failure another model may not have: anything but a request no model would take. */
function handsOver(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind !== "invalid_request";
}
