import type { CodeReview } from "../plan/plan.ts";
import type { StepRecord, TaskDocument } from "../task/document.ts";
import type { PullReview } from "../task/events.ts";
import { boundText } from "../text/bound.ts";
import { sanitizeUntrusted } from "../text/sanitize.ts";
import { bullets } from "./format.ts";

/** The most of a review the fixer is given (a review may have many comments of 65,536 characters each). */
export const REVIEW_FEEDBACK_LIMIT = 24_000;

/**
 * A maintainer's review as the fixer reads it: the review's text, then each comment with where
 * it points. The text is rendered Markdown from outside: what a reader of the pull request does
 * not see (HTML comments, reference definitions, alt text, titles, hidden elements, invisible
 * characters) is taken out here, because it reaches the fixer inside a `source` input, which
 * keeps markup.
 */
export function reviewFeedback(review: PullReview, by: string): string {
  const seen = (text: string): string => sanitizeUntrusted(text, "markdown");
  const comments = review.comments.map(
    (c) =>
      `- On ${sanitizeUntrusted(c.path, "source")}${c.line === null ? "" : ` line ${c.line}`}:\n${indent(seen(c.body))}`,
  );
  const body = seen(review.body);
  const text = [
    `@${by} reviewed the pull request (${review.state.replace(/_/g, " ")}). Address every point.`,
    body.trim() ? `The review says:\n${indent(body)}` : "",
    comments.length > 0 ? `Comments on the diff:\n${comments.join("\n")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
  return boundText(text, REVIEW_FEEDBACK_LIMIT, "the review");
}

function indent(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

/**
 * Our code reviewer's verdict on a step as one review of the pull request: what must change and
 * what could, or that nothing was found. No praise.
 */
export function codeReviewBody(doc: TaskDocument, step: StepRecord, review: CodeReview): string {
  const model = doc.routing?.code_reviewer.model ?? "the code reviewer";
  const head = `**${step.id}** (attempt ${step.attempt}) reviewed by ${model}: ${review.status.replace(/_/g, " ")}`;
  if (review.required_changes.length === 0 && review.optional_improvements.length === 0)
    return `${head}\n\nNo issues found.`;
  return [
    head,
    review.required_changes.length > 0
      ? `Required changes:\n${bullets(review.required_changes)}`
      : "",
    review.optional_improvements.length > 0
      ? `Could be better (not required):\n${bullets(review.optional_improvements)}`
      : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** What the app replies in a review thread once a step answered it. */
export function reviewAnswer(commit: string, step: string): string {
  return `Addressed in ${commit.slice(0, 12)} (${step}, approved by the code reviewer).`;
}
