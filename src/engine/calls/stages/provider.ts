import { pricedCall } from "../../../core/cost/record.ts";
import { NoEligibleModelError } from "../../../core/errors.ts";
import type { ModelRegistry } from "../../../core/models/registry.ts";
import { effortFor } from "../../../core/routing/effort.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { ModelResolver } from "../../deps.ts";
import { modelOf, type Invoke } from "./stage.ts";

export interface ProviderDeps {
  readonly models: ModelResolver;
  readonly registry: Pick<ModelRegistry, "models">;
  readonly clock: Clock;
}

/** The end of the line: the provider's answer, priced from the registry, as a ledger record. */
export function provider(deps: ProviderDeps): Invoke {
  return async (call) => {
    const { site, turn, key, request } = call;
    const modelRef = modelOf(call);
    const info = deps.registry.models.get(modelRef);
    if (!info)
      throw new NoEligibleModelError(`model ${modelRef} has no known price; it is not called`);
    const { client, model } = deps.models(modelRef);
    const effort = effortFor(info, site.effort);
    const started = deps.clock.now();
    const response = await client.generate({
      ...request,
      ...(effort ? { effort } : {}),
      maxOutputTokens: Math.min(request.maxOutputTokens, info.maxOutput),
      model,
      tag: { task: site.task, role: site.role, step: site.step, attempt: site.attempt, turn },
    });
    const record = pricedCall({
      key,
      role: site.role,
      model: info,
      prompt: site.prompt,
      usage: response.usage,
      stopReason: response.stopReason,
      estimated: response.estimated,
      effort,
      startedMs: started,
      endedMs: deps.clock.now(),
    });
    return { response, record };
  };
}
