import { totalCost, type CallRecord } from "../cost/ledger.ts";
import type { GateResult } from "../plan/gate-result.ts";
import type { CodeReview, PlanReview } from "../plan/plan.ts";
import { postedComment, reviewDemands } from "../report/review-comments.ts";
import { escalationComment, planComment, planReviewComment } from "../report/comments.ts";
import { statusBody } from "../report/status.ts";
import { CONCLUSION, checkSummary, checkTitle } from "../report/check-run.ts";
import { gateEscalation } from "../report/gate.ts";
import { codeReviewBody } from "../report/review.ts";
import { triageGate } from "../plan/gate-triage.ts";
import {
  deadlineMessage,
  effectKey,
  emit,
  escalate,
  pastDeadline,
  note,
  overBudget,
  requestModel,
  type Draft,
} from "./context.ts";
import { usd } from "../report/format.ts";
import {
  SURVIVAL_DAYS,
  survivalDue,
  TERMINAL_STATES,
  type Escalation,
  type TaskDocument,
} from "./document.ts";
import { isModelEffect, type Effect } from "./effects.ts";
import type {
  EffectOutcome,
  FileStat,
  GuardSummary,
  HumanCommand,
  PullReview,
  TaskEvent,
} from "./events.ts";
import { toolLogEntry } from "./tool-log.ts";
import { pullNumberOf } from "./task-ref.ts";
import {
  addFixStep,
  addReviewStep,
  complete,
  finish,
  implement,
  syncPullRequest,
  requestCodeReview,
  requestGate,
  requestPlan,
  requestPlanReview,
  startNextStep,
  startSteps,
} from "./phases.ts";

/** How many applied command sources a document remembers. */
const MAX_SEEN = 200;

export interface TransitionResult {
  /** The new document; the same object when the event changed nothing. */
  readonly state: TaskDocument;
  /** Effects added to the outbox by this event, in order. */
  readonly effects: readonly Effect[];
}

/**
 * The task state machine. Pure and deterministic: the same document and event always give the
 * same result. Events that do not apply (a stale effect key, a command with nothing waiting,
 * anything after the end) leave the document untouched.
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
      if (event.source !== undefined)
        draft.doc.commandsSeen = [...draft.doc.commandsSeen, event.source].slice(-MAX_SEEN);
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
      draft.doc.commandsSeen = [...draft.doc.commandsSeen, event.source].slice(-MAX_SEEN);
      onReview(draft, event.review, event.by);
      break;
  }
  draft.doc.updatedAt = event.at;
  addStatusUpdate(doc, draft);
  if (
    draft.doc.escalation &&
    draft.doc.escalation.id > (doc.escalation?.id ?? 0) &&
    draft.doc.state === "awaiting_human"
  ) {
    emit(draft, {
      kind: "post_comment",
      key: effectKey(draft.doc, "awaiting_human", null, draft.doc.escalation.id, "escalation"),
      topic: "escalation",
      body: escalationComment(draft.doc),
    });
  }
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

/**
 * The pull request's fate is recorded (a finished task's records are written again with it); a
 * pull request closed unmerged while the task still works ends the task.
 */
function onPullRequestClosed(draft: Draft, merged: boolean, mergeCommit?: string): void {
  const { doc } = draft;
  doc.pullRequestClosed = {
    merged,
    at: draft.at,
    ...(merged && mergeCommit && /^[0-9a-f]{40}$/.test(mergeCommit) ? { mergeCommit } : {}),
  };
  note(
    draft,
    "human_review",
    "info",
    `The pull request was ${merged ? "merged" : "closed unmerged"}`,
  );
  if (TERMINAL_STATES.has(doc.state)) {
    doc.recorded = false;
    return;
  }
  if (!merged) finish(draft, "cancelled", "the pull request was closed unmerged");
}

/** The merged task's lines, counted again: recorded (its records are written again with it). */
function onLinesSurvived(draft: Draft, lines: number, surviving: number): void {
  const { doc } = draft;
  doc.survival = { at: draft.at, lines, surviving: Math.min(lines, surviving) };
  note(
    draft,
    "human_review",
    "info",
    `${String(Math.min(lines, surviving))} of the ${String(lines)} lines the task added were still there ${String(SURVIVAL_DAYS)} days after the merge`,
  );
  doc.recorded = false;
}

/**
 * A review of the pull request starts a round in the same task: now, if the task is done or only
 * waits for CI; otherwise when the work under way is done (nothing is lost meanwhile).
 */
function onReview(draft: Draft, review: PullReview, by: string): void {
  const { doc } = draft;
  note(
    draft,
    "human_review",
    "info",
    `${by} reviewed the pull request (${review.state.replace(/_/g, " ")}, ${review.comments.length} comment(s))`,
  );
  if (doc.state === "done" || awaitingGate(doc) !== null) return addReviewStep(draft, review, by);
  doc.pendingReviews = [
    ...(doc.pendingReviews ?? []),
    { by, review: { ...review, comments: review.comments.map((c) => ({ ...c })) } },
  ];
}

/**
 * Whether a task waiting for CI has waited too long: past its time limit, or with no check
 * started within `gateStartMinutes` of the push.
 */
export function waitedTooLong(doc: TaskDocument, at: string, checksStarted: boolean): boolean {
  if (pastDeadline(doc, at)) return true;
  const minutes = doc.limits.gateStartMinutes;
  const since = doc.gate.pendingSince;
  return (
    !checksStarted &&
    minutes !== undefined &&
    since !== undefined &&
    Date.parse(at) - Date.parse(since) > minutes * 60_000
  );
}

function onGateWaiting(draft: Draft, checksStarted: boolean): void {
  const { doc } = draft;
  if (pastDeadline(doc, draft.at))
    return escalate(draft, "task_timeout", deadlineMessage(doc), null);
  if (checksStarted) return;
  escalate(
    draft,
    "no_ci",
    `No CI ran on this branch: no check started on \`${(doc.headCommit ?? "").slice(0, 12)}\` within ${doc.limits.gateStartMinutes ?? 0} minute(s) of the push. Install the workflow template (templates/quality-gate.yml) or set \`gate.required_checks\` in .github/orchestrator.yml.`,
    null,
  );
}

/**
 * A result that still shows a failed check run the task asked to run again: CI has not started
 * the new run yet (the sweep or a late webhook read the old one).
 */
function sameRunsAgain(doc: TaskDocument, result: GateResult): boolean {
  const last = doc.gate.results.at(-1);
  if (!last || last.commit !== result.commit) return false;
  return last.checks.some(
    (old) =>
      !old.passed &&
      old.id !== undefined &&
      result.checks.some((c) => c.name === old.name && c.id === old.id),
  );
}

/** The commit whose checks the task waits for, or null when it waits for none. */
export function awaitingGate(doc: TaskDocument): string | null {
  const waiting =
    doc.state === "gating" && doc.outbox.length === 0 && doc.gate.results.length < doc.gate.runs;
  return waiting ? doc.headCommit : null;
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

function start(draft: Draft, event: Extract<TaskEvent, { type: "start" }>): void {
  const { doc } = draft;
  doc.routing = event.routing;
  if (event.stepRouting && Object.keys(event.stepRouting).length > 0)
    doc.stepRouting = event.stepRouting;
  doc.baseCommit = event.baseCommit;
  doc.headCommit = event.baseCommit;
  note(
    draft,
    "task",
    "info",
    `Task ${doc.id} started: ${doc.definition.goal.split("\n")[0] ?? ""}`,
  );
  for (const decision of Object.values(event.routing)) {
    note(
      draft,
      "routing",
      "info",
      `Routing [${decision.role}] → ${decision.model}: ${decision.rationale}`,
    );
  }
  for (const [kind, routed] of Object.entries(event.stepRouting ?? {}))
    for (const decision of [routed.implementer, routed.code_reviewer])
      note(
        draft,
        "routing",
        "info",
        `Routing [${decision.role}] of ${kind.replace("/", " risk, ")} steps → ${decision.model}: ${decision.rationale}`,
      );
  requestPlan(draft, null);
}

function onResult(draft: Draft, outcome: EffectOutcome): void {
  const { doc } = draft;
  const effect = doc.outbox.shift();
  if (!effect) return;
  if ("calls" in outcome) recordCalls(draft, outcome.calls);
  if (effect.kind === "implement_step" && "tools" in outcome && outcome.tools.length > 0) {
    const step = doc.steps[effect.step];
    const entry = toolLogEntry(
      `${effect.role} ${step?.id ?? "?"} attempt ${step?.attempt ?? 0}`,
      outcome.tools,
    );
    note(draft, "llm_call", entry.level, entry.message, entry.details);
  }
  if (outcome.kind === "failed") {
    note(draft, "retry", "error", `${effect.kind} failed: ${outcome.reason.replace(/_/g, " ")}`);
    escalate(draft, outcome.reason, outcome.message, effect);
    return;
  }
  switch (effect.kind) {
    case "call_planner":
      if (outcome.kind !== "plan") break;
      doc.plan = outcome.plan;
      doc.planEstimate = outcome.estimate ?? null;
      note(draft, "task", "info", `Plan v${doc.planAttempt}: ${outcome.plan.steps.length} step(s)`);
      emit(draft, {
        kind: "post_comment",
        key: effectKey(doc, "planning", null, doc.planAttempt, "comment"),
        topic: "plan",
        body: planComment(doc, outcome.plan),
      });
      requestPlanReview(draft);
      return;
    case "call_plan_reviewer":
      if (outcome.kind !== "plan_review") break;
      onPlanReview(draft, outcome.review);
      return;
    case "implement_step":
      if (outcome.kind !== "implemented") break;
      onImplemented(draft, effect.step, outcome.commit, outcome.files);
      return;
    case "call_code_reviewer":
      if (outcome.kind === "scope_exceeded") {
        const step = doc.steps[effect.step];
        escalate(
          draft,
          "scope_exceeded",
          `Step ${step?.id ?? "?"} changed ${outcome.guard.unplannedLines} line(s) outside its planned files (${step?.files.join(", ") ?? ""}), more than the ${doc.limits.unplannedLines ?? 0} allowed:\n${outcome.guard.outsidePlan.map((f) => `- ${f}`).join("\n")}`,
          effect,
        );
        return;
      }
      if (outcome.kind !== "code_review") break;
      onCodeReview(
        draft,
        effect.step,
        withGuard(draft, effect.step, outcome.review, outcome.guard),
        outcome.stats ?? [],
      );
      return;
    case "run_gate":
      // Waiting is not written to history: whether CI had already finished is timing, and
      // the history (and the run log made from it) must not depend on timing.
      if (outcome.kind === "gate_pending") {
        doc.gate.pendingSince = draft.at;
        return;
      }
      if (outcome.kind !== "gate") break;
      onGate(draft, outcome.result);
      return;
    case "rerun_checks": {
      if (outcome.kind === "gate_pending") {
        doc.gate.pendingSince = draft.at;
        return;
      }
      if (outcome.kind !== "rerun_refused") break;
      const last = doc.gate.results.at(-1);
      doc.gate.runs -= 1;
      doc.gate.rerunRefused = outcome.reason;
      note(draft, "quality_gate", "warning", `Checks not run again: ${outcome.reason}`);
      if (last) onRed(draft, last, doc.gate.results.slice(0, -1));
      return;
    }
    case "sync_pull_request":
      if (outcome.kind !== "pull_request" && outcome.kind !== "done") break;
      if (outcome.kind === "pull_request") doc.pullRequest = outcome.ref;
      if (effect.verify === true)
        onReadBack(draft, outcome.kind === "pull_request" ? outcome.readBack : undefined);
      return;
    case "post_comment":
    case "update_status":
    case "report_check":
    case "post_review":
    case "answer_review":
      if (outcome.kind !== "done") break;
      return;
  }
  throw new Error(`effect ${effect.kind} (${effect.key}) cannot have outcome ${outcome.kind}`);
}

function recordCalls(draft: Draft, calls: readonly CallRecord[]): void {
  const known = new Set(draft.doc.ledger.map((c) => c.key));
  for (const call of calls) {
    if (known.has(call.key)) continue;
    draft.doc.ledger.push(call);
    for (const left of call.fallback ?? [])
      note(
        draft,
        "routing",
        "warning",
        `[${call.role}] ${left.model} did not answer (${left.reason}); ${call.model} answered instead`,
      );
    if (call.retries && call.retries.length > 0)
      note(
        draft,
        "retry",
        "warning",
        `[${call.role}] ${call.model} answered after ${call.retries.length} ${call.retries.length === 1 ? "retry" : "retries"}: ${call.retries.map((r) => `${r.kind} (waited ${(r.waitMs / 1000).toFixed(1)}s)`).join(", ")}`,
      );
    note(
      draft,
      "llm_call",
      "success",
      `LLM call [${call.role}] ${call.model}${call.effort ? ` at effort ${call.effort}` : ""} (cost=$${call.costUsd.toFixed(4)}${call.estimated ? " estimated" : ""}${call.usage.reasoning ? `, ${call.usage.reasoning} reasoning tokens` : ""}, ${(call.durationMs / 1000).toFixed(1)}s, ${call.prompt})`,
    );
  }
}

function onPlanReview(draft: Draft, review: PlanReview): void {
  const { doc } = draft;
  doc.planReviews.push(review);
  emit(draft, {
    kind: "post_comment",
    key: effectKey(doc, "plan_review", null, doc.planReviewAttempt, "comment"),
    topic: "plan_review",
    body: planReviewComment(doc, review),
  });
  if (review.status === "approved") {
    startSteps(draft);
  } else if (review.status === "rejected") {
    escalate(
      draft,
      "plan_rejected",
      `The plan reviewer rejected the plan:\n${[...review.concerns, ...review.missing_steps].map((c) => `- ${c}`).join("\n")}`,
      null,
    );
  } else if (doc.planRevisions >= doc.limits.planRevisions) {
    escalate(
      draft,
      "plan_revisions_exhausted",
      `The plan still needs revision after ${doc.planRevisions} revision(s).`,
      null,
    );
  } else {
    doc.planRevisions += 1;
    note(
      draft,
      "retry",
      "warning",
      `Plan needs revision (revision ${doc.planRevisions} of ${doc.limits.planRevisions})`,
    );
    requestPlan(draft, planFeedback(review));
  }
}

function planFeedback(review: PlanReview): string {
  const section = (title: string, items: string[]): string =>
    items.length > 0 ? `${title}:\n${items.map((i) => `- ${i}`).join("\n")}` : "";
  return [
    section("Missing steps", review.missing_steps),
    section("Concerns", review.concerns),
    section("Suggestions", review.suggestions),
  ]
    .filter(Boolean)
    .join("\n\n");
}

function onImplemented(draft: Draft, index: number, commit: string, files: string[]): void {
  const { doc } = draft;
  const step = doc.steps[index];
  if (!step) return;
  step.commits.push(commit);
  doc.headCommit = commit;
  note(
    draft,
    "task",
    "info",
    `Step ${step.id} attempt ${step.attempt} committed ${commit.slice(0, 12)} (${files.length} file(s))`,
    files,
  );
  if (doc.steps.every((s) => s === step || s.commits.length === 0) && step.commits.length === 1) {
    syncPullRequest(draft, true);
  }
  requestCodeReview(draft, index);
}

/**
 * The review as the step guard amends it: changes weakening the checks become required changes;
 * if they are still there on the next review of the step, the task stops for a person (null).
 */
function withGuard(
  draft: Draft,
  index: number,
  review: CodeReview,
  guard: GuardSummary | undefined,
): CodeReview | null {
  const step = draft.doc.steps[index];
  if (!step || !guard) return review;
  if (guard.outsidePlan.length > 0)
    note(
      draft,
      "task",
      "warning",
      `Step ${step.id} changed files outside its plan`,
      guard.outsidePlan,
    );
  const before = step.weakening ?? [];
  step.weakening = guard.weakening;
  if (guard.weakening.length === 0) return review;
  if (before.length > 0) {
    escalate(
      draft,
      "test_weakening",
      `Step ${step.id} still weakens the checks after it was asked to stop:\n${guard.weakening.map((w) => `- ${w}`).join("\n")}`,
      null,
    );
    return null;
  }
  note(draft, "task", "warning", `Step ${step.id} weakens the checks`, guard.weakening);
  return {
    ...review,
    status: review.status === "rejected" ? "rejected" : "needs_changes",
    required_changes: [
      ...review.required_changes,
      ...guard.weakening.map((w) => `Undo this change, which weakens the checks: ${w}`),
    ],
  };
}

function onCodeReview(
  draft: Draft,
  index: number,
  review: CodeReview | null,
  stats: readonly FileStat[],
): void {
  if (review === null) return;
  const { doc } = draft;
  const step = doc.steps[index];
  if (!step) return;
  step.reviews.push(review);
  const demands = reviewDemands(review);
  const commit = step.commits.at(-1);
  if (commit)
    emit(draft, {
      kind: "report_check",
      key: effectKey(doc, "code_review", step.id, step.reviewAttempt, "check"),
      commit,
      title: checkTitle(step, review, stats),
      summary: checkSummary(doc, step, review, stats),
      conclusion: CONCLUSION[review.status],
    });
  const comments = (review.comments ?? []).map(postedComment);
  if (doc.pullRequest !== null && commit)
    emit(draft, {
      kind: "post_review",
      key: effectKey(doc, "code_review", step.id, step.reviewAttempt, "pr_review"),
      commit,
      body: codeReviewBody(doc, step, review),
      ...(comments.length > 0 ? { comments } : {}),
    });
  if (review.status === "approved") {
    step.status = "completed";
    note(draft, "task", "success", `Step ${step.id} approved by review`);
    if (step.answers && commit)
      emit(draft, {
        kind: "answer_review",
        key: effectKey(doc, "code_review", step.id, step.reviewAttempt, "answer"),
        review: step.answers.review,
        comments: step.answers.comments,
        commit,
      });
    startNextStep(draft);
  } else if (review.status === "rejected") {
    escalate(
      draft,
      "step_rejected",
      `The code reviewer rejected step ${step.id}:\n${demands.map((c) => `- ${c}`).join("\n")}`,
      null,
    );
  } else if (step.reviewRounds >= doc.limits.stepReviewRounds) {
    escalate(
      draft,
      "review_rounds_exhausted",
      `Step ${step.id} still needs changes after ${step.reviewRounds} round(s):\n${demands.map((c) => `- ${c}`).join("\n")}`,
      null,
    );
  } else {
    step.reviewRounds += 1;
    note(
      draft,
      "retry",
      "warning",
      `Step ${step.id} needs changes (round ${step.reviewRounds} of ${doc.limits.stepReviewRounds})`,
      demands,
    );
    implement(
      draft,
      index,
      `The code reviewer asks for these changes:\n${demands.map((c) => `- ${c}`).join("\n")}`,
    );
  }
}

function onGate(draft: Draft, reported: GateResult): void {
  const { doc } = draft;
  const result = { ...reported, commit: reported.commit ?? doc.headCommit ?? undefined };
  const earlier = doc.gate.results;
  doc.gate.results.push(result);
  const checks = result.checks.map(
    (c) => `${c.passed ? "✅" : "❌"} ${c.name}${c.reason ? `: ${c.reason}` : ""}`,
  );
  // A gate of no checks (`gate.commands: []`, allowed by `gate.allow_none`) proves nothing.
  if (result.checks.length === 0) {
    note(draft, "quality_gate", "warning", `No quality gate configured (run ${doc.gate.runs})`);
    return complete(draft, "no quality gate configured");
  }
  note(
    draft,
    "quality_gate",
    result.passed ? "success" : "error",
    `Quality gate ${result.passed ? "passed" : "FAILED"} (run ${doc.gate.runs})`,
    checks,
  );
  if (result.passed) return complete(draft, "quality gate passed");
  onRed(draft, result, earlier.slice(0, -1));
}

/** What a red gate leads to: a re-run, an escalation, or a fix. */
function onRed(draft: Draft, result: GateResult, earlier: readonly GateResult[]): void {
  const { doc } = draft;
  const rerunDone = doc.gate.rerunCommit === result.commit || doc.gate.rerunRefused !== undefined;
  const decision = triageGate(result, earlier, rerunDone);
  switch (decision.kind) {
    case "rerun":
      return rerunChecks(draft, result, decision.checks, decision.why);
    case "base_red":
      return escalate(
        draft,
        "base_branch_red",
        gateEscalation(
          doc,
          result,
          `The base branch is red too: ${decision.checks.join(", ")} fail(s) the same way on its latest run, so the failure is not this task's.`,
        ),
        null,
      );
    case "infrastructure":
      return escalate(
        draft,
        "ci_infrastructure",
        gateEscalation(
          doc,
          result,
          `CI itself failed (${decision.checks.join(", ")}: cancelled, timed out or lost its runner), again after a re-run.`,
        ),
        null,
      );
    case "same_failure":
      return escalate(
        draft,
        "gate_same_failure",
        gateEscalation(
          doc,
          result,
          `The fix did not change the failure: ${decision.checks.join(", ")} fail(s) exactly as before.`,
        ),
        null,
      );
    case "fix":
      if (doc.gate.fixes >= doc.limits.gateAttempts)
        return escalate(
          draft,
          "gate_attempts_exhausted",
          gateEscalation(
            doc,
            result,
            `The quality gate is still red after ${doc.gate.fixes} fix attempt(s).`,
          ),
          null,
        );
      return addFixStep(draft, result, null);
  }
}

/** Runs failed checks again on the same commit: once per commit, and no model is called for it. */
function rerunChecks(
  draft: Draft,
  result: GateResult,
  checks: readonly string[],
  why: string,
): void {
  const { doc } = draft;
  const commit = result.commit ?? doc.headCommit ?? "";
  doc.gate.rerunCommit = commit;
  doc.gate.runs += 1;
  note(
    draft,
    "quality_gate",
    "warning",
    `Running ${checks.join(", ")} again on ${commit.slice(0, 12)}: ${why}`,
  );
  emit(draft, {
    kind: "rerun_checks",
    key: effectKey(doc, "gating", null, doc.gate.runs, "rerun"),
    commit,
    checks: [...checks],
  });
}

/** The pull request as read back after marking it ready: done only when it is what the task made. */
function onReadBack(
  draft: Draft,
  seen: { head: string; open: boolean; draft: boolean } | undefined,
): void {
  const { doc } = draft;
  const why = doc.completing ?? "finished";
  const problem = !seen
    ? null
    : !seen.open
      ? "the pull request is closed"
      : seen.draft
        ? "the pull request is still a draft"
        : seen.head !== doc.headCommit
          ? `the pull request's head is ${seen.head.slice(0, 12)}, not the task's ${(doc.headCommit ?? "").slice(0, 12)} (someone else pushed to the branch)`
          : null;
  if (problem === null) return finish(draft, "done", why, true);
  doc.completing = undefined;
  escalate(
    draft,
    "pull_request_mismatch",
    `The task would be done (${why}), but ${problem}.`,
    null,
  );
}

/** Raises the task's budget; a task stopped by its budget goes on when the new one allows it. */
function onBudget(draft: Draft, amountUsd: number, by: string): void {
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

function onCommand(draft: Draft, command: HumanCommand, feedback: string | null, by: string): void {
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
  const retry = command === "retry" ? feedback : null;
  const step = escalation.step;
  switch (escalation.reason) {
    case "plan_rejected":
    case "plan_revisions_exhausted":
      if (command === "approve") {
        approveEstimate(draft, by);
        return startSteps(draft);
      }
      doc.planRevisions = 0;
      return requestPlan(draft, retry);
    case "scope_exceeded": {
      const record = step === null ? undefined : doc.steps[step];
      if (!record) return startNextStep(draft);
      if (command === "approve") {
        record.scopeApproved = true;
        return requestCodeReview(draft, step ?? 0);
      }
      return implement(
        draft,
        step ?? 0,
        `${retry ?? ""}\nKeep the changes to the step's planned files: ${record.files.join(", ")}.`.trim(),
      );
    }
    case "test_weakening":
    case "step_rejected":
    case "review_rounds_exhausted": {
      const record = step === null ? undefined : doc.steps[step];
      if (step === null || !record) return startNextStep(draft);
      if (command === "approve") {
        record.status = "completed";
        return startNextStep(draft);
      }
      record.reviewRounds = 0;
      return implement(draft, step, retry);
    }
    case "gate_attempts_exhausted":
    case "gate_same_failure":
    case "base_branch_red":
      if (command === "approve")
        return complete(draft, `accepted by ${by} with the quality gate red`);
      return addFixStep(draft, doc.gate.results.at(-1), retry);
    case "no_ci":
      if (command === "approve")
        return complete(draft, `accepted by ${by} with no CI run on the head`);
      return requestGate(draft);
    case "task_timeout":
      doc.deadlineWaived = true;
      if (command === "approve") return resume(draft, escalation);
      return redo(draft, escalation.blocked, retry);
    case "pull_request_mismatch":
      if (command === "approve")
        return finish(draft, "done", `accepted by ${by} as the pull request is`, true);
      return complete(draft, `finished again for ${by}`);
    case "ci_infrastructure": {
      const last = doc.gate.results.at(-1);
      if (command === "approve" && last) {
        doc.state = "gating";
        const failed = last.checks.filter((c) => !c.passed).map((c) => c.name);
        return rerunChecks(draft, last, failed, `${by} asked for it`);
      }
      return addFixStep(draft, last, retry);
    }
    case "budget_reached":
      doc.budgetWaived = true;
      return redo(draft, escalation.blocked, retry);
    case "state_untrusted":
      // The same effect again, held against the document as a person has left it now.
      return resume(draft, escalation);
    case "workspace_error":
    case "internal_error":
      // The effect is done again under its own key: a commit it already made is found by that
      // key and pushed, not made twice.
      if (command === "approve" && escalation.blocked) return resume(draft, escalation);
      return redo(draft, escalation.blocked, retry);
    default:
      return redo(draft, escalation.blocked, retry);
  }
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

/** Runs the blocked effect again as it was, in the state it was blocked in. */
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

/** One status update per change of state or step, placed before the effects it announces. */
function addStatusUpdate(before: TaskDocument, draft: Draft): void {
  const after = draft.doc;
  const changed =
    before.state !== after.state ||
    before.currentStep !== after.currentStep ||
    before.steps.length !== after.steps.length ||
    before.steps.some((s, i) => s.status !== after.steps[i]?.status);
  if (!changed) return;
  after.statusUpdates += 1;
  const update: Effect = {
    kind: "update_status",
    key: effectKey(after, "status", null, after.statusUpdates, "status"),
    body: statusBody(after),
    state: after.state,
  };
  const at = after.outbox.length - draft.effects.length;
  after.outbox.splice(at, 0, update);
  draft.effects.unshift(update);
}
