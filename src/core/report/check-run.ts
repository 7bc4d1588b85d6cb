import type { CodeReview } from "../plan/plan.ts";
import type { StepRecord, TaskDocument } from "../task/document.ts";
import type { FileStat } from "../task/events.ts";
import { inlineCode, quoteModelText } from "./format.ts";

/** A code review's verdict as the conclusion of the commit's check run. */
export const CONCLUSION = {
  approved: "success",
  needs_changes: "neutral",
  rejected: "failure",
} as const satisfies Record<CodeReview["status"], "success" | "neutral" | "failure">;

const LINE = { inTable: false };

const VERDICT: Record<CodeReview["status"], string> = {
  approved: "approved",
  needs_changes: "changes asked for",
  rejected: "rejected",
};

/** The check run's title: the step, its attempt, the verdict and the size of the diff. */
export function checkTitle(
  step: StepRecord,
  review: CodeReview,
  stats: readonly FileStat[],
): string {
  const added = stats.reduce((n, s) => n + s.additions, 0);
  const removed = stats.reduce((n, s) => n + s.deletions, 0);
  return `${step.id} attempt ${String(step.attempt)}: ${VERDICT[review.status]} · ${String(stats.length)} file(s), +${String(added)} −${String(removed)}`;
}

/** The check run's summary: what the step set out to do, who reviewed it, and each file's lines. */
export function checkSummary(
  doc: TaskDocument,
  step: StepRecord,
  review: CodeReview,
  stats: readonly FileStat[],
): string {
  const model = doc.routing?.code_reviewer.model ?? "the code reviewer";
  const files = stats.map(
    (s) => `- ${inlineCode(s.path, LINE)}: +${String(s.additions)} −${String(s.deletions)}`,
  );
  return [
    quoteModelText(step.description),
    `Attempt ${String(step.attempt)} of a ${step.type} step, reviewed by ${inlineCode(model, LINE)}: ${VERDICT[review.status]}.`,
    files.length > 0 ? files.join("\n") : "No file changed.",
  ].join("\n\n");
}
