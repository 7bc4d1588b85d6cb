import { escalationComment } from "../../report/comments.ts";
import { statusComment } from "../../report/sticky.ts";
import { effectKey, emit, type Draft } from "../context.ts";
import type { TaskDocument } from "../document.ts";
import type { Effect } from "../effects.ts";

/**
 * What every transition tells a person: one status update per change of state or step (placed
 * before the effects it announces; in one-comment mode it carries the plan and its review,
 * folded), and the comment of an escalation opened by this event.
 */
export function addNotices(before: TaskDocument, draft: Draft): void {
  addStatusUpdate(before, draft);
  const after = draft.doc;
  if (
    after.escalation &&
    after.escalation.id > (before.escalation?.id ?? 0) &&
    after.state === "awaiting_human"
  ) {
    emit(draft, {
      kind: "post_comment",
      key: effectKey(after, "awaiting_human", null, after.escalation.id, "escalation"),
      topic: "escalation",
      body: escalationComment(after),
    });
  }
}

function addStatusUpdate(before: TaskDocument, draft: Draft): void {
  const after = draft.doc;
  const changed =
    before.state !== after.state ||
    before.currentStep !== after.currentStep ||
    before.steps.length !== after.steps.length ||
    before.steps.some((s, i) => s.status !== after.steps[i]?.status);
  if (!changed) return;
  after.statusUpdates += 1;
  const update: Effect = {
    kind: "update_status",
    key: effectKey(after, "status", null, after.statusUpdates, "status"),
    body: statusComment(after),
    state: after.state,
  };
  const at = after.outbox.length - draft.effects.length;
  after.outbox.splice(at, 0, update);
  draft.effects.unshift(update);
}
