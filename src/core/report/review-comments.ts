import type { CodeReview, LineComment } from "../plan/plan.ts";
import type { FileChange } from "../policy/diff.ts";

/** A finding as it is posted on a line of the pull request's diff. */
export interface PostedComment {
  readonly path: string;
  readonly line: number;
  readonly body: string;
}

/**
 * The review with its line comments split by where they can go. GitHub refuses a whole review
 * when one comment points outside the diff ("line must be part of the diff"), so a comment
 * stays a line comment only on a line the step added; any other is folded into the review's
 * text with its place, and nothing the reviewer said is lost.
 */
export function placeComments(review: CodeReview, changes: readonly FileChange[]): CodeReview {
  const comments = review.comments ?? [];
  if (comments.length === 0) return review;
  const added = new Map(changes.map((c) => [c.path, new Set(c.added.map((l) => l.line))]));
  const anchored: LineComment[] = [];
  const folded: string[] = [];
  for (const c of comments)
    if (added.get(c.path)?.has(c.line) === true) anchored.push(c);
    else folded.push(`${c.path} line ${String(c.line)}: ${c.body}`);
  const into = review.status === "approved" ? "optional_improvements" : "required_changes";
  const kept = review[into];
  // The lists hold 20 items: what does not fit shares the last one.
  const room = Math.max(0, 19 - kept.length);
  const items =
    kept.length + folded.length <= 20
      ? [...kept, ...folded]
      : [...kept.slice(0, 19), ...folded.slice(0, room), folded.slice(room).join("\n")];
  return { ...review, [into]: items, comments: anchored };
}

/**
 * What a review asks of the next attempt: its required changes and, unless it approved, each
 * line comment with its place and suggested line.
 */
export function reviewDemands(review: CodeReview): string[] {
  if (review.status === "approved") return review.required_changes;
  const lines = (review.comments ?? []).map(
    (c) =>
      `${c.path} line ${String(c.line)}: ${c.body}` +
      (c.suggestion === undefined ? "" : ` (suggested line: ${JSON.stringify(c.suggestion)})`),
  );
  return [...review.required_changes, ...lines];
}

/** A line comment's body: the finding, then its replacement as a `suggestion` block. */
export function postedComment(c: LineComment): PostedComment {
  if (c.suggestion === undefined) return { path: c.path, line: c.line, body: c.body };
  const fence = "`".repeat(Math.max(3, longestRun(c.suggestion, "`") + 1));
  const code = c.suggestion.replace(/\n$/, "");
  return { path: c.path, line: c.line, body: `${c.body}\n\n${fence}suggestion\n${code}\n${fence}` };
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
