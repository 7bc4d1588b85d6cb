import type { CommentMode, TaskDocument } from "../task/document.ts";
import type { Effect } from "../task/effects.ts";
import { planComment, planReviewComment } from "./comments.ts";
import { statusBody } from "./status.ts";

export type { CommentMode };

/** The task's comment mode, fixed at its start (`limits.comments`; `one` when it has none). */
export function commentMode(doc: TaskDocument): CommentMode {
  return doc.limits.comments ?? "one";
}

/** The status comment of the task as it is now, in its comment mode. */
export function statusComment(doc: TaskDocument): string {
  return stickyStatus(doc, statusBody(doc), commentMode(doc));
}

type CommentTopic = Extract<Effect, { kind: "post_comment" }>["topic"];

/**
 * Whether a report of this topic is a comment of its own (the reducer emits it only then). An
 * escalation always is: it asks a person for an answer, and a new comment is what notifies them.
 */
export function ownComment(doc: TaskDocument, topic: CommentTopic): boolean {
  return commentMode(doc) === "each" || topic === "escalation";
}

/**
 * The status comment as this mode posts it: in one-comment mode the current plan and its last
 * review follow the status, each folded (`<details>`), so the issue holds one comment of ours
 * that is edited in place.
 */
export function stickyStatus(doc: TaskDocument, status: string, mode: CommentMode): string {
  if (mode === "each" || !doc.plan) return status;
  const review = doc.planReviews.at(-1);
  return [
    status,
    fold(`Plan v${doc.planAttempt}: ${doc.plan.steps.length} step(s)`, planComment(doc, doc.plan)),
    ...(review ? [fold(`Plan review: ${review.status}`, planReviewComment(doc, review))] : []),
  ].join("\n\n");
}

/** `summary` is our own words (a count, a verdict's name); `body` is a comment we already built. */
function fold(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
