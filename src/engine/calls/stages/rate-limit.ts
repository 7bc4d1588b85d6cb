import type { Logger } from "../../../ports/logger.ts";
import type { RateLimits } from "../rate-limits.ts";
import { estimateInputTokens } from "../tokens.ts";
import { callLogger, modelOf, type Stage } from "./stage.ts";

export interface RateLimitDeps {
  readonly traffic: { readonly rateLimits: Pick<RateLimits, "reserve"> };
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
}

/** Waits for the provider's and the model's token buckets; settles with what the call used. */
export function rateLimit(deps: RateLimitDeps): Stage {
  return (next) => async (call) => {
    const model = modelOf(call);
    const provider = model.slice(0, model.indexOf("/"));
    const ticket = await deps.traffic.rateLimits.reserve(
      model,
      {
        input: estimateInputTokens(provider, call.request),
        output: call.request.maxOutputTokens,
      },
      deps.sleep,
    );
    if (ticket.waitedMs > 0)
      callLogger(deps.logger, call, model).info(
        { waitedMs: ticket.waitedMs },
        "waited for rate limit",
      );
    try {
      const result = await next(call);
      const u = result.response.usage;
      ticket.settle({
        input: u.input.noCache + u.input.cacheRead + u.input.cacheWrite,
        output: u.output,
      });
      return result;
    } catch (error) {
      ticket.settle({ input: 0, output: 0 });
      throw error;
    }
  };
}
