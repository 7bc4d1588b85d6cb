import type { GitHub, RepoRef } from "../../adapters/github/api/client.ts";
import { readReview } from "../../adapters/github/repository/pull-reviews.ts";
import { readRepoConfig } from "../../adapters/github/repository/repo-config.ts";
import { issueOfBranch, taskIdOfIssue } from "../../core/task/task-ref.ts";
import { openIssue, type IssueContext } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";

export interface Reviewed {
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly pull: number;
  readonly branch: string;
  readonly review: number;
}

/** The issue context of the task working on a pull request's branch, or null for another branch. */
async function taskOfBranch(
  app: AppOptions,
  github: GitHub,
  e: Pick<Reviewed, "repo" | "defaultBranch" | "branch">,
): Promise<{ ctx: IssueContext; task: string } | null> {
  const config = await readRepoConfig(github, e.repo, e.defaultBranch).catch(() => null);
  const issue = config ? issueOfBranch(e.branch, config.branch_prefix) : null;
  if (config === null || issue === null) return null;
  const ref = { repo: e.repo, defaultBranch: e.defaultBranch, issue };
  return { ctx: openIssue(app, github, ref, config), task: taskIdOfIssue(issue) };
}

/** The task's pull request was merged or closed: recorded in the task (a later outcome). */
export async function onPullRequestClosed(
  app: AppOptions,
  github: GitHub,
  e: Omit<Reviewed, "review"> & { readonly merged: boolean; readonly mergeCommit: string | null },
): Promise<void> {
  const found = await taskOfBranch(app, github, e);
  await found?.ctx.wake(found.task, {
    type: "pull_request_closed",
    pull: e.pull,
    merged: e.merged,
    ...(e.mergeCommit ? { mergeCommit: e.mergeCommit } : {}),
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
  const found = await taskOfBranch(app, github, e);
  if (!found) return;
  const { ctx, task } = found;
  const read = await readReview(github, e.repo, e.pull, e.review, async (author, state) => {
    if (!author || author.type === "Bot" || !ASKING.has(state)) return false;
    if (await ctx.canWrite(author.login)) return true;
    app.logger.info({ task, review: e.review }, "review from a reader ignored");
    return false;
  });
  if (!read?.author) return;
  const { review } = read;
  if (!review.body.trim() && review.comments.length === 0) return;
  await ctx.wake(task, {
    type: "review",
    pull: e.pull,
    by: read.author.login,
    source: `review:${review.id}`,
    review,
  });
}
