import { escalate, note, type Draft } from "./context.ts";
import { survivalDue, TERMINAL_STATES, type TaskDocument } from "./document.ts";
import type { Effect } from "./effects.ts";
import type { EffectOutcome, TaskEvent } from "./events.ts";
import { pullNumberOf } from "./task-ref.ts";
import { recordOutcome } from "./transition/calls.ts";
import { onCodeReview, onScopeExceeded } from "./transition/code-review.ts";
import { commandRefusal, onBudget, onCommand, remember } from "./transition/commands.ts";
import {
  awaitingGate,
  onGate,
  onGatePending,
  onGateWaiting,
  onRerunRefused,
  sameRunsAgain,
  waitedTooLong,
} from "./transition/gate.ts";
import { onImplemented } from "./transition/implementation.ts";
import { addNotices } from "./transition/notices.ts";
import { onPlanReview } from "./transition/plan-review.ts";
import { onPlan, start } from "./transition/planning.ts";
import {
  onLinesSurvived,
  onPullRequestClosed,
  onPullRequestSynced,
  onReview,
} from "./transition/pull-request.ts";

export { awaitingGate, commandRefusal, waitedTooLong };

export interface TransitionResult {
  /** The new document; the same object when the event changed nothing. */
  readonly state: TaskDocument;
  /** Effects added to the outbox by this event, in order. */
  readonly effects: readonly Effect[];
}

/**
 * The task state machine. Pure and deterministic: the same document and event always give the
 * same result. Events that do not apply (a stale effect key, a command with nothing waiting,
 * anything after the end) leave the document untouched. Each phase's handling is a file of
 * `transition/`; this one only says which handles what.
 */
export function transition(doc: TaskDocument, event: TaskEvent): TransitionResult {
  if (!applies(doc, event)) return { state: doc, effects: [] };
  const draft: Draft = { doc: structuredClone(doc), effects: [], at: event.at };
  switch (event.type) {
    case "start":
      start(draft, event);
      break;
    case "effect_result":
      onResult(draft, event.outcome);
      break;
    case "command":
      if (event.source !== undefined) remember(draft, event.source);
      if (event.command === "budget") onBudget(draft, event.amountUsd ?? 0, event.by);
      else onCommand(draft, event.command, event.feedback ?? null, event.by);
      break;
    case "gate_result":
      onGate(draft, event.result);
      break;
    case "gate_waiting":
      onGateWaiting(draft, event.checksStarted);
      break;
    case "pull_request_closed":
      onPullRequestClosed(draft, event.merged, event.mergeCommit);
      break;
    case "lines_survived":
      onLinesSurvived(draft, event.lines, event.surviving);
      break;
    case "review":
      remember(draft, event.source);
      onReview(draft, event.review, event.by);
      break;
  }
  draft.doc.updatedAt = event.at;
  addNotices(doc, draft);
  return { state: draft.doc, effects: draft.effects };
}

/** Whether an event changes the task (one that does not leaves it untouched). */
export function applies(doc: TaskDocument, event: TaskEvent): boolean {
  switch (event.type) {
    case "start":
      return doc.state === "queued";
    case "effect_result":
      return doc.outbox[0]?.key === event.key;
    case "command":
      return (
        (event.source === undefined || !doc.commandsSeen.includes(event.source)) &&
        commandRefusal(doc, event.command, event.escalation) === null
      );
    case "gate_result":
      return awaitingGate(doc) === event.commit && !sameRunsAgain(doc, event.result);
    case "gate_waiting":
      return (
        awaitingGate(doc) === event.commit && waitedTooLong(doc, event.at, event.checksStarted)
      );
    case "pull_request_closed":
      return pullNumberOf(doc.pullRequest) === event.pull && doc.pullRequestClosed === undefined;
    case "lines_survived": {
      const due = survivalDue(doc);
      return due !== null && event.at >= due;
    }
    case "review":
      return (
        !doc.commandsSeen.includes(event.source) &&
        pullNumberOf(doc.pullRequest) === event.pull &&
        doc.pullRequestClosed === undefined &&
        (doc.state === "done" || !TERMINAL_STATES.has(doc.state))
      );
  }
}

/** The outbox head's outcome, to the phase that asked for it; a failure stops for a person. */
function onResult(draft: Draft, outcome: EffectOutcome): void {
  const effect = draft.doc.outbox.shift();
  if (!effect) return;
  recordOutcome(draft, effect, outcome);
  if (outcome.kind === "failed") {
    note(draft, "retry", "error", `${effect.kind} failed: ${outcome.reason.replace(/_/g, " ")}`);
    escalate(draft, outcome.reason, outcome.message, effect);
    return;
  }
  switch (effect.kind) {
    case "call_planner":
      if (outcome.kind === "plan") return onPlan(draft, outcome.plan, outcome.estimate);
      break;
    case "call_plan_reviewer":
      if (outcome.kind === "plan_review") return onPlanReview(draft, outcome.review);
      break;
    case "implement_step":
      if (outcome.kind === "implemented")
        return onImplemented(draft, effect.step, outcome.commit, outcome.files);
      break;
    case "call_code_reviewer":
      if (outcome.kind === "scope_exceeded") return onScopeExceeded(draft, effect, outcome.guard);
      if (outcome.kind === "code_review") return onCodeReview(draft, effect.step, outcome);
      break;
    case "run_gate":
      if (outcome.kind === "gate_pending") return onGatePending(draft);
      if (outcome.kind === "gate") return onGate(draft, outcome.result);
      break;
    case "rerun_checks":
      if (outcome.kind === "gate_pending") return onGatePending(draft);
      if (outcome.kind === "rerun_refused") return onRerunRefused(draft, outcome.reason);
      break;
    case "sync_pull_request":
      if (outcome.kind === "pull_request" || outcome.kind === "done")
        return onPullRequestSynced(draft, effect, outcome);
      break;
    case "post_comment":
    case "update_status":
    case "report_check":
    case "post_review":
    case "answer_review":
      if (outcome.kind === "done") return;
      break;
  }
  throw new Error(`effect ${effect.kind} (${effect.key}) cannot have outcome ${outcome.kind}`);
}
