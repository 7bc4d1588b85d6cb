import { totalCost } from "../../cost/ledger.ts";
import { usd } from "../../report/format.ts";
import { emit, note, overBudget, requestModel, type Draft } from "../context.ts";
import {
  TERMINAL_STATES,
  type Escalation,
  type StepRecord,
  type TaskDocument,
} from "../document.ts";
import { isModelEffect, type Effect } from "../effects.ts";
import { escalationRow, type ApproveAction, type RetryAction } from "../escalations.ts";
import type { HumanCommand } from "../events.ts";
import {
  addFixStep,
  complete,
  finish,
  implement,
  requestCodeReview,
  requestGate,
  requestPlan,
  requestPlanReview,
  startNextStep,
  startSteps,
} from "../phases.ts";
import { rerunChecks } from "./gate.ts";

/** How many applied command sources a document remembers. */
const MAX_SEEN = 200;

/** Remembers what carried a command or review (a comment id), so it is applied once. */
export function remember(draft: Draft, source: string): void {
  draft.doc.commandsSeen = [...draft.doc.commandsSeen, source].slice(-MAX_SEEN);
}

/** Why a command cannot be applied now, for the person who sent it; null when it can. */
export function commandRefusal(
  doc: TaskDocument,
  command: HumanCommand,
  escalation: number,
): string | null {
  if (TERMINAL_STATES.has(doc.state)) return `task ${doc.id} is already ${doc.state}`;
  // More budget is welcome at any time; it answers a budget escalation if one is open.
  if (command === "budget")
    return doc.limits.budgetUsd === null ? "the task has no budget limit" : null;
  if (escalation === 0)
    return "nothing was waiting for a human when it was written; answer the escalation that is open now";
  if (doc.state !== "awaiting_human" || !doc.escalation)
    return `task ${doc.id} is not waiting for a human (it is ${doc.state.replace(/_/g, " ")})`;
  if (escalation !== doc.escalation.id)
    return `that answers escalation #${escalation}, which is resolved; the open one is #${doc.escalation.id}`;
  return null;
}

/** Raises the task's budget; a task stopped by its budget goes on when the new one allows it. */
export function onBudget(draft: Draft, amountUsd: number, by: string): void {
  const { doc } = draft;
  const before = doc.limits.budgetUsd ?? 0;
  doc.limits = { ...doc.limits, budgetUsd: Math.round((before + amountUsd) * 1e6) / 1e6 };
  note(
    draft,
    "human_review",
    "info",
    `${by} raised the budget by ${usd(amountUsd)} to ${usd(doc.limits.budgetUsd ?? 0)}`,
  );
  const escalation = doc.escalation;
  if (doc.state !== "awaiting_human" || escalation?.reason !== "budget_reached") return;
  if (overBudget(doc)) return;
  doc.escalation = null;
  // The blocked call was never made: it goes ahead under its own key.
  resume(draft, escalation);
}

/**
 * A person's answer to the open escalation: `/abort` and `/reject` end the task; `/approve` and
 * `/retry` do what the reason's row in `ESCALATIONS` names.
 */
export function onCommand(
  draft: Draft,
  command: HumanCommand,
  feedback: string | null,
  by: string,
): void {
  const { doc } = draft;
  const escalation = doc.escalation;
  if (!escalation) return;
  note(
    draft,
    "human_review",
    "info",
    `${by} answered /${command}${feedback ? `: ${feedback}` : ""}`,
  );
  doc.escalation = null;
  if (command === "abort") return finish(draft, "cancelled", `aborted by ${by}`);
  if (command === "reject") return finish(draft, "failed", `rejected by ${by}`);
  const row = escalationRow(escalation.reason);
  if (row.waives === "deadline") doc.deadlineWaived = true;
  if (row.waives === "budget") doc.budgetWaived = true;
  if (command === "approve") return APPROVE[row.approve.does](draft, escalation, by);
  RETRY[row.retry.does](draft, escalation, command === "retry" ? feedback : null, by);
}

type Approve = (draft: Draft, escalation: Escalation, by: string) => void;
type Retry = (draft: Draft, escalation: Escalation, feedback: string | null, by: string) => void;

const APPROVE: Record<ApproveAction, Approve> = {
  accept_plan: (draft, _, by) => {
    approveEstimate(draft, by);
    startSteps(draft);
  },
  accept_scope: (draft, escalation) => {
    const step = escalatedStep(draft.doc, escalation);
    if (!step) return startNextStep(draft);
    step.record.scopeApproved = true;
    requestCodeReview(draft, step.index);
  },
  accept_step: (draft, escalation) => {
    const step = escalatedStep(draft.doc, escalation);
    if (step) step.record.status = "completed";
    startNextStep(draft);
  },
  finish_red: (draft, _, by) => complete(draft, `accepted by ${by} with the quality gate red`),
  finish_without_ci: (draft, _, by) =>
    complete(draft, `accepted by ${by} with no CI run on the head`),
  finish_as_is: (draft, _, by) =>
    finish(draft, "done", `accepted by ${by} as the pull request is`, true),
  rerun_checks: (draft, _, by) => {
    const { doc } = draft;
    const last = doc.gate.results.at(-1);
    if (!last) return addFixStep(draft, last, null);
    doc.state = "gating";
    const failed = last.checks.filter((c) => !c.passed).map((c) => c.name);
    rerunChecks(draft, last, failed, `${by} asked for it`);
  },
  resume: (draft, escalation) => resume(draft, escalation),
  redo: (draft, escalation) => redo(draft, escalation.blocked, null),
};

const RETRY: Record<RetryAction, Retry> = {
  plan_again: (draft, _, feedback) => {
    draft.doc.planRevisions = 0;
    requestPlan(draft, feedback);
  },
  implement_again: (draft, escalation, feedback) => {
    const step = escalatedStep(draft.doc, escalation);
    if (!step) return startNextStep(draft);
    step.record.reviewRounds = 0;
    implement(draft, step.index, feedback);
  },
  implement_in_scope: (draft, escalation, feedback) => {
    const step = escalatedStep(draft.doc, escalation);
    if (!step) return startNextStep(draft);
    implement(
      draft,
      step.index,
      `${feedback ?? ""}\nKeep the changes to the step's planned files: ${step.record.files.join(", ")}.`.trim(),
    );
  },
  fix: (draft, _, feedback) => addFixStep(draft, draft.doc.gate.results.at(-1), feedback),
  wait_for_ci: (draft) => requestGate(draft),
  complete_again: (draft, _, __, by) => complete(draft, `finished again for ${by}`),
  resume: (draft, escalation) => resume(draft, escalation),
  redo: (draft, escalation, feedback) => redo(draft, escalation.blocked, feedback),
};

/** The step the task stopped at, if it still has one. */
function escalatedStep(
  doc: TaskDocument,
  escalation: Escalation,
): { index: number; record: StepRecord } | null {
  const index = escalation.step;
  const record = index === null ? undefined : doc.steps[index];
  return index === null || !record ? null : { index, record };
}

/** Approving a plan approves its estimate: the budget rises to cover the high end, never falls. */
function approveEstimate(draft: Draft, by: string): void {
  const { doc } = draft;
  const estimate = doc.planEstimate;
  if (!estimate || doc.limits.budgetUsd === null) return;
  const needed = Math.round((totalCost(doc.ledger) + estimate.highUsd) * 1e6) / 1e6;
  if (needed <= doc.limits.budgetUsd) return;
  doc.limits = { ...doc.limits, budgetUsd: needed };
  note(
    draft,
    "human_review",
    "info",
    `${by} approved the plan and its estimate: the budget is now ${usd(needed)}`,
  );
}

/**
 * Runs the blocked effect again as it was, under its own key, in the state it was blocked in: a
 * commit it already made is found by that key and pushed, not made twice.
 */
function resume(draft: Draft, escalation: Escalation): void {
  const { doc } = draft;
  const blocked = escalation.blocked;
  if (!blocked) return startNextStep(draft);
  doc.state = escalation.phase;
  doc.currentStep = escalation.step;
  if (isModelEffect(blocked)) requestModel(draft, blocked);
  else emit(draft, blocked);
}

/** Does the blocked effect again under a fresh key, with the person's feedback if any. */
function redo(draft: Draft, blocked: Effect | null, feedback: string | null): void {
  switch (blocked?.kind) {
    case "call_planner":
      return requestPlan(draft, feedback ?? blocked.feedback);
    case "call_plan_reviewer":
      return feedback ? requestPlan(draft, feedback) : requestPlanReview(draft);
    case "implement_step":
      return implement(draft, blocked.step, feedback ?? blocked.feedback);
    case "call_code_reviewer":
      return feedback
        ? implement(draft, blocked.step, feedback)
        : requestCodeReview(draft, blocked.step);
    case "run_gate":
      return requestGate(draft);
    default:
      return startNextStep(draft);
  }
}
