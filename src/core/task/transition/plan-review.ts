import type { PlanReview } from "../../plan/plan.ts";
import { planReviewComment } from "../../report/comments.ts";
import { ownComment } from "../../report/sticky.ts";
import { effectKey, emit, escalate, note, type Draft } from "../context.ts";
import { requestPlan, startSteps } from "../phases.ts";

/** The plan reviewer's verdict: the steps start, the planner revises, or a person is asked. */
export function onPlanReview(draft: Draft, review: PlanReview): void {
  const { doc } = draft;
  doc.planReviews.push(review);
  if (ownComment(doc, "plan_review"))
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

/** The review's lists as the planner's feedback. */
export function planFeedback(review: PlanReview): string {
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
