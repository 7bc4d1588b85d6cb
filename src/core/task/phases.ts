import type { GateResult } from "../plan/gate-result.ts";
import type { PlanStep } from "../plan/plan.ts";
import type { PullReview } from "./events.ts";
import { reviewFeedback } from "../report/review.ts";
import { summaryComment } from "../report/comments.ts";
import { ownComment } from "../report/sticky.ts";
import { pullRequestBody, pullRequestTitle } from "../report/pull-request.ts";
import { effectKey, emit, note, requestModel, type Draft } from "./context.ts";
import type { StepRecord, TaskState } from "./document.ts";

export function requestPlan(draft: Draft, feedback: string | null): void {
  const { doc } = draft;
  doc.state = "planning";
  doc.currentStep = null;
  doc.planAttempt += 1;
  requestModel(draft, {
    kind: "call_planner",
    key: effectKey(doc, "planning", null, doc.planAttempt, "plan"),
    feedback,
  });
}

export function requestPlanReview(draft: Draft): void {
  const { doc } = draft;
  doc.state = "plan_review";
  doc.planReviewAttempt += 1;
  requestModel(draft, {
    kind: "call_plan_reviewer",
    key: effectKey(doc, "plan_review", null, doc.planReviewAttempt, "review"),
  });
}

export function stepRecord(step: PlanStep): StepRecord {
  return {
    id: step.id,
    type: step.type,
    description: step.description,
    risk: step.risk,
    complexity: step.complexity,
    files: step.files,
    testsRequired: step.tests_required,
    status: "pending",
    attempt: 0,
    reviewRounds: 0,
    reviewAttempt: 0,
    baseCommit: null,
    commits: [],
    reviews: [],
  };
}

export function startSteps(draft: Draft): void {
  const { doc } = draft;
  doc.steps = (doc.plan?.steps ?? []).map(stepRecord);
  note(draft, "task", "info", `Plan accepted with ${doc.steps.length} step(s)`);
  startNextStep(draft);
}

export function startNextStep(draft: Draft): void {
  const next = draft.doc.steps.findIndex((s) => s.status === "pending");
  const waiting = draft.doc.pendingReviews?.[0];
  if (next !== -1) implement(draft, next, null);
  else if (waiting) {
    draft.doc.pendingReviews = draft.doc.pendingReviews?.slice(1);
    addReviewStep(draft, waiting.review, waiting.by);
  } else requestGate(draft);
}

/** A review round: a fix step that answers a maintainer's review of the pull request. */
export function addReviewStep(draft: Draft, review: PullReview, by: string): void {
  const { doc } = draft;
  // A finished task works again: its next end is recorded again.
  if (doc.state === "done") doc.recorded = false;
  doc.reviewRounds = (doc.reviewRounds ?? 0) + 1;
  const paths = [...new Set(review.comments.map((c) => c.path))];
  doc.steps.push({
    ...stepRecord({
      id: `R${doc.reviewRounds}`,
      type: "fix",
      description: `Answer the review by ${by} (${review.comments.length} comment(s) on the diff)`,
      risk: doc.definition.risk,
      complexity: "small",
      files: paths,
      tests_required: false,
    }),
    answers: { review: review.id, comments: review.comments.map((c) => c.id) },
  });
  implement(draft, doc.steps.length - 1, reviewFeedback(review, by));
}

export function implement(draft: Draft, index: number, feedback: string | null): void {
  const { doc } = draft;
  const step = doc.steps[index];
  if (!step) throw new Error(`no step ${index} in task ${doc.id}`);
  const phase: TaskState = step.type === "fix" ? "fixing" : "implementing";
  step.status = "implementing";
  step.attempt += 1;
  step.baseCommit ??= doc.headCommit;
  doc.currentStep = index;
  doc.state = phase;
  requestModel(draft, {
    kind: "implement_step",
    key: effectKey(doc, phase, step.id, step.attempt, "implement"),
    step: index,
    role: step.type === "fix" ? "fixer" : "implementer",
    feedback,
  });
}

export function requestCodeReview(draft: Draft, index: number): void {
  const { doc } = draft;
  const step = doc.steps[index];
  if (!step) throw new Error(`no step ${index} in task ${doc.id}`);
  step.status = "code_review";
  step.reviewAttempt += 1;
  doc.currentStep = index;
  doc.state = "code_review";
  requestModel(draft, {
    kind: "call_code_reviewer",
    key: effectKey(doc, "code_review", step.id, step.reviewAttempt, "review"),
    step: index,
  });
}

export function requestGate(draft: Draft): void {
  const { doc } = draft;
  doc.state = "gating";
  doc.currentStep = null;
  doc.gate.runs += 1;
  emit(draft, { kind: "run_gate", key: effectKey(doc, "gating", null, doc.gate.runs, "gate") });
}

export function gateFeedback(result: GateResult): string {
  return result.checks
    .filter((c) => !c.passed)
    .map((c) => {
      // Where each failure is, as the runner's output said, before the output itself.
      const listed = (c.failures ?? []).map(
        (f) => `- ${f.test ?? f.tool}${f.location ? ` at ${f.location}` : ""}`,
      );
      const where =
        listed.length > 0
          ? `Failing (${[...new Set((c.failures ?? []).map((f) => f.tool))].join(", ")}; file and line from the output):\n${listed.join("\n")}\n`
          : "";
      return `Check "${c.name}" failed: ${c.reason ?? "failed"}\n${where}${c.output}`;
    })
    .join("\n\n");
}

export function addFixStep(
  draft: Draft,
  result: GateResult | undefined,
  humanFeedback: string | null,
): void {
  const { doc } = draft;
  doc.gate.fixes += 1;
  const failed = result?.checks.filter((c) => !c.passed).map((c) => c.name) ?? [];
  doc.steps.push({
    ...stepRecord({
      id: `F${doc.gate.fixes}`,
      type: "fix",
      description: `Make the quality gate pass (fix ${doc.gate.fixes}): ${failed.length > 0 ? `failed ${failed.join(", ")}` : "see feedback"}`,
      risk: doc.definition.risk,
      complexity: "small",
      files: [],
      tests_required: false,
    }),
  });
  const feedback = [
    result ? gateFeedback(result) : "",
    humanFeedback ? `A maintainer adds:\n${humanFeedback}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
  implement(draft, doc.steps.length - 1, feedback || null);
}

/** Opens or refreshes the pull request: a draft while work goes on, ready once done. */
export function syncPullRequest(draft: Draft, asDraft: boolean): void {
  const { doc } = draft;
  emit(draft, {
    kind: "sync_pull_request",
    key: effectKey(doc, doc.state, null, doc.history.length, "pull_request"),
    title: pullRequestTitle(doc),
    body: pullRequestBody(doc),
    draft: asDraft,
  });
}

/**
 * Ends a task well: its pull request is marked ready and read back first, and only when it is
 * open, ready and at the task's head is the task done (and said to be). A task with no commits
 * has no pull request and is done at once.
 */
export function complete(draft: Draft, why: string): void {
  const { doc } = draft;
  if (doc.headCommit === doc.baseCommit) return finish(draft, "done", why);
  doc.completing = why;
  doc.state = "gating";
  doc.currentStep = null;
  emit(draft, {
    kind: "sync_pull_request",
    key: effectKey(doc, "done", null, doc.history.length, "pull_request"),
    title: pullRequestTitle(doc),
    body: pullRequestBody(doc, why),
    draft: false,
    verify: true,
  });
}

export function finish(
  draft: Draft,
  state: "done" | "failed" | "cancelled",
  why: string,
  pullRequestSynced = false,
): void {
  const { doc } = draft;
  doc.completing = undefined;
  const current = doc.currentStep === null ? undefined : doc.steps[doc.currentStep];
  if (current && state !== "done" && current.status !== "completed") current.status = "failed";
  for (const step of doc.steps) if (step.status === "pending") step.status = "skipped";
  doc.state = state;
  doc.currentStep = null;
  doc.escalation = null;
  note(draft, "task", state === "done" ? "success" : "error", `Task ${doc.id} ${state}: ${why}`);
  if (doc.headCommit !== doc.baseCommit && !pullRequestSynced)
    syncPullRequest(draft, state !== "done");
  // In one-comment mode the last status says how the task ended.
  if (ownComment(doc, "summary"))
    emit(draft, {
      kind: "post_comment",
      key: effectKey(doc, state, null, 1, "summary"),
      topic: "summary",
      body: summaryComment(doc),
    });
}
