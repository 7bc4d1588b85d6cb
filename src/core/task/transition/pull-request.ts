import { escalate, note, type Draft } from "../context.ts";
import { SURVIVAL_DAYS, TERMINAL_STATES } from "../document.ts";
import type { Effect } from "../effects.ts";
import type { EffectOutcome, PullReview } from "../events.ts";
import { addReviewStep, finish } from "../phases.ts";
import { awaitingGate } from "./gate.ts";

/** The pull request was synced; one marked ready and read back decides whether the task is done. */
export function onPullRequestSynced(
  draft: Draft,
  effect: Extract<Effect, { kind: "sync_pull_request" }>,
  outcome: Extract<EffectOutcome, { kind: "pull_request" | "done" }>,
): void {
  if (outcome.kind === "pull_request") draft.doc.pullRequest = outcome.ref;
  if (effect.verify === true)
    onReadBack(draft, outcome.kind === "pull_request" ? outcome.readBack : undefined);
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

/**
 * The pull request's fate is recorded (a finished task's records are written again with it); a
 * pull request closed unmerged while the task still works ends the task.
 */
export function onPullRequestClosed(draft: Draft, merged: boolean, mergeCommit?: string): void {
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
export function onLinesSurvived(draft: Draft, lines: number, surviving: number): void {
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
export function onReview(draft: Draft, review: PullReview, by: string): void {
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
