import type { RetryNote } from "../../../core/errors.ts";
import type { Logger } from "../../../ports/logger.ts";
import { withRetry, type RetrySettings } from "../retry.ts";
import { callLogger, type CallResult, type Stage } from "./stage.ts";

export interface RetryDeps {
  readonly retry: RetrySettings;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly logger: Logger;
}

/** Our one retry policy around the provider (SDK retries are off). Retries go into the record. */
export function retry(deps: RetryDeps): Stage {
  return (next) => async (call) => {
    const { value, retries } = await withRetry(() => next(call), {
      ...deps.retry,
      sleep: deps.sleep,
      random: deps.random,
      onRetry: (error, attempt, delayMs) => {
        callLogger(deps.logger, call, call.model).warn(
          { kind: error.kind, retry: attempt, delayMs },
          "provider call failed, retrying",
        );
      },
    });
    return retries.length === 0 ? value : withRetries(value, retries);
  };
}

function withRetries(result: CallResult, retries: readonly RetryNote[]): CallResult {
  return { ...result, record: { ...result.record, retries: [...retries] } };
}
