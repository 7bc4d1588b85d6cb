import type { CallRecord } from "../../core/cost/ledger.ts";
import {
  BudgetExceededError,
  ModelOutputError,
  NoEligibleModelError,
  OrchestratorError,
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
 * Turns a failure that a person must look at into an outcome; one a retry may cure is thrown
 * on (`unexpectedOutcome`), leaving the task resumable from its last saved document.
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
  return unexpectedOutcome(error, calls);
}

/** How much of an unexpected failure's text the escalation carries. */
const SHOWN = 500;

/**
 * Anything else an effect throws. A failure a retry may cure (a conflict, a lease held, GitHub
 * unavailable: `retryable`) is thrown on, and the next delivery or sweep runs the effect again.
 * Anything else (a bug, a corrupt file, a thrown value that is not even an Error) is an
 * `internal_error` escalation: a task never stays where it was without a word.
 */
export function unexpectedOutcome(error: unknown, calls: readonly CallRecord[]): EffectOutcome {
  if (isRetryable(error)) throw error;
  return {
    kind: "failed",
    reason: "internal_error",
    message: `An unexpected failure: ${describeThrown(error)}`,
    calls: [...calls],
  };
}

function isRetryable(error: unknown): boolean {
  try {
    return error instanceof OrchestratorError && error.retryable;
  } catch {
    return false;
  }
}

/** A thrown value as text, whatever it is: reading it (a getter, a `toString`) may throw too. */
export function describeThrown(error: unknown): string {
  try {
    const text =
      error instanceof Error
        ? // Typed strings, but a thrower's own getters may return anything.
          `${asText(error.name)}: ${asText(error.message)}`
        : typeof error === "string"
          ? error
          : `a thrown ${error === null ? "null" : typeof error}`;
    return text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
  } catch {
    return "a thrown value that cannot be read";
  }
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

/** `String` of a value typed as a string that a thrower's own getter may have made anything. */
const asText = (value: unknown): string => String(value);
