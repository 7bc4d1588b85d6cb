import { z } from "zod";
import type { GitHub, RepoRef } from "../../adapters/github/client.ts";
import { readRepoConfig } from "../../adapters/github/repo-config.ts";
import { Review, ReviewComment } from "../../adapters/github/responses.ts";
import type { PullReview } from "../../core/task/events.ts";
import { issueOfBranch } from "../../core/task/task-ref.ts";
import { openIssue } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";

export interface Reviewed {
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly pull: number;
  readonly branch: string;
  readonly review: number;
}

/** The task's pull request was merged or closed: recorded in the task (a later outcome). */
export async function onPullRequestClosed(
  app: AppOptions,
  github: GitHub,
  e: Omit<Reviewed, "review"> & { readonly merged: boolean; readonly mergeCommit: string | null },
): Promise<void> {
  const config = await readRepoConfig(github, e.repo, e.defaultBranch).catch(() => null);
  const issue = config ? issueOfBranch(e.branch, config.branch_prefix) : null;
  if (issue === null) return;
  const ctx = openIssue(app, github, { repo: e.repo, defaultBranch: e.defaultBranch, issue });
  const services = await ctx.services();
  const stored = services ? await services.store.load(String(issue)) : null;
  if (!stored || stored.document.pullRequest?.split(":")[0] !== String(e.pull)) return;
  await ctx.run(stored.document.id, {
    after: {
      type: "pull_request_closed",
      at: new Date(app.clock.now()).toISOString(),
      merged: e.merged,
      ...(e.mergeCommit ? { mergeCommit: e.mergeCommit } : {}),
    },
  });
}

/** Reviews that ask for something; an approval or a dismissal starts no round. */
const ASKING = new Set(["changes_requested", "commented"]);

/**
 * A review of a task's pull request (from `pull_request_review` or one of its comments) by
 * someone with write access starts a review round in that task, once per review. Reviews from
 * others, from bots and of other pull requests are ignored.
 */
export async function onReview(app: AppOptions, github: GitHub, e: Reviewed): Promise<void> {
  const config = await readRepoConfig(github, e.repo, e.defaultBranch).catch(() => null);
  const issue = config ? issueOfBranch(e.branch, config.branch_prefix) : null;
  if (issue === null) return;
  const where = { ...e.repo, pull_number: e.pull };
  const review = Review.parse(
    (await github.rest.pulls.getReview({ ...where, review_id: e.review })).data,
  );
  const author = review.user;
  if (!author || author.type === "Bot" || !ASKING.has(review.state.toLowerCase())) return;
  const ctx = openIssue(app, github, { repo: e.repo, defaultBranch: e.defaultBranch, issue });
  if (!(await ctx.canWrite(author.login))) {
    app.logger.info({ issue, review: review.id }, "review from a reader ignored");
    return;
  }
  const services = await ctx.services();
  const stored = services ? await services.store.load(String(issue)) : null;
  const ours = stored?.document.pullRequest?.split(":")[0];
  if (!services || !stored || ours !== String(e.pull)) return;
  const listed = await github.paginate(github.rest.pulls.listCommentsForReview, {
    ...where,
    review_id: review.id,
    per_page: 100,
  });
  const comments = z
    .array(ReviewComment)
    .parse(listed)
    // Replies in existing threads are part of the conversation, not new requests.
    .filter((c) => c.in_reply_to_id == null)
    .map((c) => ({
      id: c.id,
      path: c.path,
      line: c.line ?? c.original_line ?? null,
      body: c.body,
    }));
  const body = review.body ?? "";
  if (!body.trim() && comments.length === 0) return;
  const pullReview: PullReview = {
    id: review.id,
    state: review.state.toLowerCase(),
    body,
    comments,
  };
  await ctx.run(stored.document.id, {
    after: {
      type: "review",
      at: new Date(app.clock.now()).toISOString(),
      by: author.login,
      source: `review:${review.id}`,
      review: pullReview,
    },
  });
}
