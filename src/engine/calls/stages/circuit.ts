import { ProviderError } from "../../../core/errors.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { CircuitBreakers } from "../breakers.ts";
import { modelOf, type Stage } from "./stage.ts";

export interface CircuitDeps {
  readonly traffic: { readonly breakers: Pick<CircuitBreakers, "success" | "failure"> };
  readonly clock: Clock;
}

/** Every attempt's outcome goes to the model's circuit; failures of the request itself do not count. */
export function circuit(deps: CircuitDeps): Stage {
  return (next) => async (call) => {
    const model = modelOf(call);
    try {
      const result = await next(call);
      deps.traffic.breakers.success(model);
      return result;
    } catch (error) {
      if (
        error instanceof ProviderError &&
        error.kind !== "invalid_request" &&
        error.kind !== "context_length"
      )
        deps.traffic.breakers.failure(model, deps.clock.now());
      throw error;
    }
  };
}
