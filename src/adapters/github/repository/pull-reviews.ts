import { z } from "zod";
import type { PullReview } from "../../../core/task/events.ts";
import type { GitHub, RepoRef } from "../api/client.ts";
import { Review, ReviewComment } from "../api/responses.ts";

export interface ReadReview {
  /** Who wrote it (null for a deleted account). */
  readonly author: { readonly login: string; readonly type: string } | null;
  readonly review: PullReview;
}

/**
 * A review of a pull request with its new comments on the diff (replies in existing threads
 * are part of the conversation, not new requests). The comments are read only for a review
 * that `wanted` accepts (by its author and state), to spare a request for the others.
 */
export async function readReview(
  github: GitHub,
  repo: RepoRef,
  pull: number,
  reviewId: number,
  wanted: (author: ReadReview["author"], state: string) => boolean | Promise<boolean>,
): Promise<ReadReview | null> {
  const where = { ...repo, pull_number: pull };
  const review = Review.parse(
    (await github.rest.pulls.getReview({ ...where, review_id: reviewId })).data,
  );
  const author = review.user ? { login: review.user.login, type: review.user.type } : null;
  const state = review.state.toLowerCase();
  if (!(await wanted(author, state))) return null;
  const listed = await github.paginate(github.rest.pulls.listCommentsForReview, {
    ...where,
    review_id: review.id,
    per_page: 100,
  });
  const comments = z
    .array(ReviewComment)
    .parse(listed)
    .filter((c) => c.in_reply_to_id == null)
    .map((c) => ({
      id: c.id,
      path: c.path,
      line: c.line ?? c.original_line ?? null,
      body: c.body,
    }));
  return { author, review: { id: review.id, state, body: review.body ?? "", comments } };
}
