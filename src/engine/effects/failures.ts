import type { CallRecord } from "../../core/cost/ledger.ts";
import { ModelOutputError, ProviderError, WorkspaceError } from "../../core/errors.ts";
import type { EscalationReason } from "../../core/task/document.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import { redactSecrets } from "../../core/text/redact.ts";

const BY_KIND: Record<ModelOutputError["kind"], EscalationReason> = {
  refusal: "refusal",
  truncated: "truncated",
  invalid: "invalid_output",
  tool_limit: "tool_limit",
};

/**
 * Turns a failure that a person must look at into an outcome; anything else (storage, git, a
 * bug) is thrown on, leaving the task resumable from its last saved document.
 */
export function failureOutcome(
  error: unknown,
  calls: readonly CallRecord[],
  secrets: readonly string[],
): EffectOutcome {
  if (error instanceof ModelOutputError) {
    return {
      kind: "failed",
      reason: BY_KIND[error.kind],
      message: redactSecrets(error.message, secrets),
      calls: [...calls],
    };
  }
  if (error instanceof ProviderError) {
    const why = error.retryable ? "kept failing after our retries" : "cannot succeed by retrying";
    return {
      kind: "failed",
      reason: "provider_error",
      message: redactSecrets(`${error.message} (${error.kind}; ${why})`, secrets),
      calls: [...calls],
    };
  }
  if (error instanceof WorkspaceError) {
    return {
      kind: "failed",
      reason: "workspace_error",
      message: redactSecrets(error.message, secrets),
      calls: [...calls],
    };
  }
  throw error;
}

/**
 * Runs an effect that pays for model calls: the calls are collected as they are made, so a
 * failure that goes to a person still reports (and bills) every call it paid for.
 */
export async function reportingCalls(
  secrets: readonly string[],
  run: (calls: CallRecord[]) => Promise<EffectOutcome>,
): Promise<EffectOutcome> {
  const calls: CallRecord[] = [];
  try {
    return await run(calls);
  } catch (error) {
    return failureOutcome(error, calls, secrets);
  }
}
