import type { CodeReview } from "../../plan/plan.ts";
import { CONCLUSION, checkSummary, checkTitle } from "../../report/check-run.ts";
import { codeReviewBody } from "../../report/review.ts";
import { postedComment, reviewDemands } from "../../report/review-comments.ts";
import { effectKey, emit, escalate, note, type Draft } from "../context.ts";
import type { Effect } from "../effects.ts";
import type { EffectOutcome, GuardSummary } from "../events.ts";
import { implement, startNextStep } from "../phases.ts";

/** The step changed too much outside its planned files: a person is asked before any review. */
export function onScopeExceeded(
  draft: Draft,
  effect: Extract<Effect, { kind: "call_code_reviewer" }>,
  guard: GuardSummary,
): void {
  const { doc } = draft;
  const step = doc.steps[effect.step];
  escalate(
    draft,
    "scope_exceeded",
    `Step ${step?.id ?? "?"} changed ${guard.unplannedLines} line(s) outside its planned files (${step?.files.join(", ") ?? ""}), more than the ${doc.limits.unplannedLines ?? 0} allowed:\n${guard.outsidePlan.map((f) => `- ${f}`).join("\n")}`,
    effect,
  );
}

/**
 * The code reviewer's verdict on a step, as the step guard amends it: its check run and pull
 * request review are emitted, then the step is accepted, implemented again, or escalated.
 */
export function onCodeReview(
  draft: Draft,
  index: number,
  outcome: Extract<EffectOutcome, { kind: "code_review" }>,
): void {
  const review = withGuard(draft, index, outcome.review, outcome.guard);
  if (review === null) return;
  const stats = outcome.stats ?? [];
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
