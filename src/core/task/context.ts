import { totalCost } from "../cost/ledger.ts";
import type {
  EscalationReason,
  HistoryCategory,
  HistoryEntry,
  TaskDocument,
  TaskState,
} from "./document.ts";
import type { Effect, ModelEffect } from "./effects.ts";

/** A working copy of the document for one transition, and the effects it adds. */
export interface Draft {
  readonly doc: TaskDocument;
  readonly effects: Effect[];
  readonly at: string;
}

export function effectKey(
  doc: TaskDocument,
  phase: TaskState | "status",
  step: string | null,
  attempt: number,
  kind: string,
): string {
  const task = doc.instance === undefined ? doc.id : `${doc.id}.${doc.instance}`;
  return `${task}:${phase}:${step ?? "-"}:${attempt}:${kind}`;
}

export function emit(draft: Draft, effect: Effect): void {
  draft.doc.outbox.push(effect);
  draft.effects.push(effect);
}

export function note(
  draft: Draft,
  category: HistoryCategory,
  level: HistoryEntry["level"],
  message: string,
  details?: string[],
): void {
  draft.doc.history.push({
    at: draft.at,
    category,
    level,
    message,
    ...(details && details.length > 0 ? { details } : {}),
  });
}

export function overBudget(doc: TaskDocument): boolean {
  return (
    !doc.budgetWaived &&
    doc.limits.budgetUsd !== null &&
    totalCost(doc.ledger) >= doc.limits.budgetUsd
  );
}

/** Whether the task has run longer than its time limit (and no person let it go on). */
export function pastDeadline(doc: TaskDocument, at: string): boolean {
  const hours = doc.limits.taskHours ?? null;
  return (
    hours !== null &&
    doc.deadlineWaived !== true &&
    Date.parse(at) - Date.parse(doc.createdAt) > hours * 3_600_000
  );
}

export function deadlineMessage(doc: TaskDocument): string {
  return `The task has run for more than ${doc.limits.taskHours ?? 0} hour(s) (started ${doc.createdAt}).`;
}

/** Emits a model effect, or stops for a human when the task's budget or time is spent. */
export function requestModel(draft: Draft, effect: ModelEffect): void {
  const { doc } = draft;
  if (pastDeadline(doc, draft.at)) {
    escalate(draft, "task_timeout", deadlineMessage(doc), effect);
    return;
  }
  if (overBudget(doc)) {
    escalate(
      draft,
      "budget_reached",
      `The task has spent $${totalCost(doc.ledger).toFixed(4)} of its $${doc.limits.budgetUsd ?? 0} budget.`,
      effect,
    );
    return;
  }
  emit(draft, effect);
}

export function escalate(
  draft: Draft,
  reason: EscalationReason,
  message: string,
  blocked: Effect | null,
): void {
  const { doc } = draft;
  doc.escalations += 1;
  doc.escalation = {
    id: doc.escalations,
    reason,
    message,
    phase: doc.state,
    step: doc.currentStep,
    blocked,
    at: draft.at,
  };
  doc.state = "awaiting_human";
  note(draft, "human_review", "warning", `Human review required: ${reason.replace(/_/g, " ")}`, [
    message,
  ]);
}

/** The escalation number in the key of an escalation comment (`…:<n>:escalation`), or null. */
export function escalationOfKey(key: string): number | null {
  const match = /:(\d+):escalation$/.exec(key);
  return match ? Number(match[1]) : null;
}
