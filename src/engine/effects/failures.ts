import type { CallRecord } from "../../core/cost/ledger.ts";
import {
  BudgetExceededError,
  ModelOutputError,
  NoEligibleModelError,
  ProviderError,
  WorkspaceError,
} from "../../core/errors.ts";
import type { EscalationReason } from "../../core/task/document.ts";
import type { EffectOutcome } from "../../core/task/events.ts";

const BY_KIND: Record<ModelOutputError["kind"], EscalationReason> = {
  refusal: "refusal",
  truncated: "truncated",
  invalid: "invalid_output",
  tool_limit: "tool_limit",
};

/**
 * Turns a failure that a person must look at into an outcome; anything else (storage, a bug)
 * is thrown on, leaving the task resumable from its last saved document.
 */
export function failureOutcome(error: unknown, calls: readonly CallRecord[]): EffectOutcome {
  const failed = (reason: EscalationReason, message: string): EffectOutcome => ({
    kind: "failed",
    reason,
    message,
    calls: [...calls],
  });
  if (error instanceof ModelOutputError) return failed(BY_KIND[error.kind], error.message);
  if (error instanceof ProviderError) {
    const why = error.retryable ? "kept failing after our retries" : "cannot succeed by retrying";
    return failed("provider_error", `${error.message} (${error.kind}; ${why})`);
  }
  if (error instanceof BudgetExceededError) return failed("budget_reached", error.message);
  if (error instanceof NoEligibleModelError) return failed("provider_error", error.message);
  if (error instanceof WorkspaceError) return failed("workspace_error", error.message);
  throw error;
}

/**
 * Runs an effect that pays for model calls: the calls are collected as they are made, so a
 * failure that goes to a person still reports (and bills) every call it paid for.
 */
export async function reportingCalls(
  run: (calls: CallRecord[]) => Promise<EffectOutcome>,
): Promise<EffectOutcome> {
  const calls: CallRecord[] = [];
  try {
    return await run(calls);
  } catch (error) {
    return failureOutcome(error, calls);
  }
}
