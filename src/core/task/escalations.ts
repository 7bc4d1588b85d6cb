import type { EscalationReason } from "./document.ts";

/**
 * What `/approve` does, named (the handlers are `APPROVE` in `transition/commands.ts`).
 * `resume` runs the blocked effect again under its own key (a commit or a paid call it already
 * made is found again, not made twice); `redo` does it again under a fresh key.
 */
export type ApproveAction =
  | "accept_plan" // go ahead with the last plan, its estimate approved
  | "accept_scope" // accept the step's changes outside its plan and send it to review
  | "accept_step" // mark the step completed and go on
  | "finish_red" // finish with the quality gate red
  | "finish_without_ci" // finish with no CI run on the head
  | "finish_as_is" // done with the pull request as it is
  | "rerun_checks" // run the failed checks again on the same commit
  | "resume"
  | "redo";

/** What `/retry <feedback>` does, named (the handlers are `RETRY` in `transition/commands.ts`). */
export type RetryAction =
  | "plan_again" // plan again with the feedback, revisions counted from zero
  | "implement_again" // implement the step again, review rounds counted from zero
  | "implement_in_scope" // implement the step again, told to keep to its planned files
  | "fix" // one more fix step for the fixer, with the last gate result
  | "wait_for_ci" // run the gate again (wait for CI)
  | "complete_again" // mark the pull request ready and read it back again
  | "resume"
  | "redo";

/** One escalation reason: how the task goes on after each answer, and what a person is told. */
export interface EscalationRow {
  /** What a person does first, if anything, before answering. */
  readonly before?: string;
  /** A limit that either answer lifts for the rest of the task. */
  readonly waives?: "deadline" | "budget";
  /** What `/approve` does, and its words in the escalation comment and the status. */
  readonly approve: { readonly does: ApproveAction; readonly says: string };
  /** What `/retry <feedback>` does (it always takes feedback), and its words. */
  readonly retry: { readonly does: RetryAction; readonly says: string };
}

/**
 * Every escalation reason, in one table: the reducer's answers (`transition/commands.ts`), the
 * escalation comment and the status (`report/comments.ts`) read it. A reason without a row does
 * not compile; a row's action without a handler does not either.
 */
export const ESCALATIONS = {
  /** The plan reviewer rejected the plan. */
  plan_rejected: {
    approve: {
      does: "accept_plan",
      says: "goes ahead with the plan as it is, raising the budget to its estimate if that is higher",
    },
    retry: { does: "plan_again", says: "plans again with your feedback" },
  },
  /** The plan still needs revision after `limits.planRevisions` revisions. */
  plan_revisions_exhausted: {
    approve: {
      does: "accept_plan",
      says: "goes ahead with the last plan, raising the budget to its estimate if that is higher",
    },
    retry: { does: "plan_again", says: "plans again with your feedback" },
  },
  /** The code reviewer rejected a step. */
  step_rejected: {
    approve: { does: "accept_step", says: "accepts the step as it is" },
    retry: { does: "implement_again", says: "implements it again with your feedback" },
  },
  /** A step still needs changes after `limits.stepReviewRounds` rounds. */
  review_rounds_exhausted: {
    approve: { does: "accept_step", says: "accepts the step as it is" },
    retry: { does: "implement_again", says: "implements it again with your feedback" },
  },
  /** The quality gate is still red after `limits.gateAttempts` fixes. */
  gate_attempts_exhausted: {
    approve: { does: "finish_red", says: "finishes with the gate red" },
    retry: { does: "fix", says: "gives the fixer one more attempt with your feedback" },
  },
  /** A fix left the gate failing exactly as before (the same fingerprints). */
  gate_same_failure: {
    approve: { does: "finish_red", says: "finishes with the gate red" },
    retry: {
      does: "fix",
      says: "gives the fixer one more attempt with your feedback (say what it missed)",
    },
  },
  /** The base branch fails the same checks the same way: the failure is not the task's. */
  base_branch_red: {
    before: "Fix the base branch first.",
    approve: { does: "finish_red", says: "finishes with the gate red" },
    retry: { does: "fix", says: "gives the fixer another look at this branch with your feedback" },
  },
  /** A step weakens the checks again after it was asked to stop. */
  test_weakening: {
    approve: {
      does: "accept_step",
      says: "accepts the step as it is (the weakened checks included)",
    },
    retry: { does: "implement_again", says: "implements it again with your feedback" },
  },
  /** A step changed more lines outside its planned files than `limits.unplannedLines`. */
  scope_exceeded: {
    approve: {
      does: "accept_scope",
      says: "accepts the changes outside the plan and sends the step to review",
    },
    retry: { does: "implement_in_scope", says: "implements it again, kept to its planned files" },
  },
  /** The pull request read back is not what the task made (closed, a draft, another head). */
  pull_request_mismatch: {
    approve: { does: "finish_as_is", says: "finishes with the pull request as it is" },
    retry: { does: "complete_again", says: "marks it ready and reads it back again" },
  },
  /** No check started on the head within `limits.gateStartMinutes` of the push. */
  no_ci: {
    before: "Add a workflow that runs on pushes to this branch.",
    approve: { does: "finish_without_ci", says: "finishes without CI" },
    retry: { does: "wait_for_ci", says: "waits for CI again" },
  },
  /** The task ran longer than `limits.taskHours`. */
  task_timeout: {
    waives: "deadline",
    approve: {
      does: "resume",
      says: "lets the task go on past its time limit from where it stopped",
    },
    retry: { does: "redo", says: "redoes the blocked work with your feedback" },
  },
  /** CI itself failed (cancelled, timed out, lost its runner), again after a re-run. */
  ci_infrastructure: {
    approve: { does: "rerun_checks", says: "runs the failed checks again (once CI is healthy)" },
    retry: { does: "fix", says: "hands the failure to the fixer instead" },
  },
  /** A model provider did not answer (after retries and fallbacks). */
  provider_error: {
    approve: { does: "redo", says: "makes the call again once the provider answers" },
    retry: { does: "redo", says: "makes it again with your feedback" },
  },
  /** A model's answer did not hold its schema, even after the repair turn. */
  invalid_output: {
    approve: { does: "redo", says: "asks the model again" },
    retry: {
      does: "redo",
      says: "asks again with your feedback (say what the answer must hold)",
    },
  },
  /** A model refused to answer. */
  refusal: {
    approve: { does: "redo", says: "asks again" },
    retry: { does: "redo", says: "asks again with your feedback (reword what the model refused)" },
  },
  /** A model's answer was cut off at its output limit. */
  truncated: {
    approve: { does: "redo", says: "asks again" },
    retry: { does: "redo", says: "asks again with your feedback (for example, a smaller step)" },
  },
  /** The implementer used all its tool turns without finishing. */
  tool_limit: {
    approve: { does: "redo", says: "lets the implementer start the step again" },
    retry: { does: "redo", says: "starts it again with your feedback" },
  },
  /** A step changed a protected file. */
  protected_path: {
    approve: { does: "redo", says: "tries the step again as it was" },
    retry: {
      does: "redo",
      says: "implements the step again without touching the protected file",
    },
  },
  /** A step finished without changing anything. */
  no_changes: {
    approve: { does: "redo", says: "asks the implementer again as it was" },
    retry: { does: "redo", says: "tells the implementer what it missed" },
  },
  /** A step's change is larger than the change rules allow. */
  change_too_large: {
    approve: { does: "redo", says: "tries the step again as it was" },
    retry: { does: "redo", says: "implements the step again, smaller" },
  },
  /** The work tree, git or a push failed (or was tampered with). */
  workspace_error: {
    approve: {
      does: "resume",
      says: "tries again once the cause is fixed (a commit already made is pushed, not made twice)",
    },
    retry: { does: "redo", says: "redoes the step with your feedback" },
  },
  /** An effect threw what no other reason covers (a bug, a corrupt file, a value not an Error). */
  internal_error: {
    before:
      "The log has the details (the App's log on GitHub, standard error on the CLI): put the cause right first.",
    approve: { does: "resume", says: "runs the blocked work again as it was" },
    retry: { does: "redo", says: "redoes the blocked work with your feedback" },
  },
  /** The stored document names a branch, commit, pull request or path the App would not have made. */
  state_untrusted: {
    before:
      "Nothing was written. Put the task's document on the state branch back as the App left it (or delete it to start over).",
    // The same effect again, held against the document as a person has left it now.
    approve: { does: "resume", says: "runs the blocked work again, checked again" },
    retry: { does: "resume", says: "redoes the blocked work with your feedback, checked again" },
  },
  /** The next call could cross the task's budget. */
  budget_reached: {
    waives: "budget",
    approve: { does: "redo", says: "lifts the budget for this task" },
    retry: { does: "redo", says: "lifts it and redoes the blocked work with your feedback" },
  },
} as const satisfies Record<EscalationReason, EscalationRow>;

/** The row of one reason. */
export function escalationRow(reason: EscalationReason): EscalationRow {
  return ESCALATIONS[reason];
}
