import { note, type Draft } from "../context.ts";
import { requestCodeReview, syncPullRequest } from "../phases.ts";

/**
 * A step's commit: the branch head moves on and the step goes to review; the task's first commit
 * opens the draft pull request first.
 */
export function onImplemented(draft: Draft, index: number, commit: string, files: string[]): void {
  const { doc } = draft;
  const step = doc.steps[index];
  if (!step) return;
  step.commits.push(commit);
  doc.headCommit = commit;
  note(
    draft,
    "task",
    "info",
    `Step ${step.id} attempt ${step.attempt} committed ${commit.slice(0, 12)} (${files.length} file(s))`,
    files,
  );
  if (doc.steps.every((s) => s === step || s.commits.length === 0) && step.commits.length === 1) {
    syncPullRequest(draft, true);
  }
  requestCodeReview(draft, index);
}
