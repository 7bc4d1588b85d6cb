import type { CostRange } from "../../cost/estimate.ts";
import type { Plan } from "../../plan/plan.ts";
import { planComment } from "../../report/comments.ts";
import { ownComment } from "../../report/sticky.ts";
import { effectKey, emit, note, type Draft } from "../context.ts";
import type { TaskEvent } from "../events.ts";
import { requestPlan, requestPlanReview } from "../phases.ts";

/** A queued task starts: its routing is written down and the planner is asked. */
export function start(draft: Draft, event: Extract<TaskEvent, { type: "start" }>): void {
  const { doc } = draft;
  doc.routing = event.routing;
  if (event.stepRouting && Object.keys(event.stepRouting).length > 0)
    doc.stepRouting = event.stepRouting;
  doc.baseCommit = event.baseCommit;
  doc.headCommit = event.baseCommit;
  note(
    draft,
    "task",
    "info",
    `Task ${doc.id} started: ${doc.definition.goal.split("\n")[0] ?? ""}`,
  );
  for (const decision of Object.values(event.routing)) {
    note(
      draft,
      "routing",
      "info",
      `Routing [${decision.role}] → ${decision.model}: ${decision.rationale}`,
    );
  }
  for (const [kind, routed] of Object.entries(event.stepRouting ?? {}))
    for (const decision of [routed.implementer, routed.code_reviewer])
      note(
        draft,
        "routing",
        "info",
        `Routing [${decision.role}] of ${kind.replace("/", " risk, ")} steps → ${decision.model}: ${decision.rationale}`,
      );
  requestPlan(draft, null);
}

/** The planner's plan: kept with its estimate, posted, and sent to the plan reviewer. */
export function onPlan(draft: Draft, plan: Plan, estimate: CostRange | undefined): void {
  const { doc } = draft;
  doc.plan = plan;
  doc.planEstimate = estimate ?? null;
  note(draft, "task", "info", `Plan v${doc.planAttempt}: ${plan.steps.length} step(s)`);
  // In one-comment mode the status carries the plan (folded).
  if (ownComment(doc, "plan"))
    emit(draft, {
      kind: "post_comment",
      key: effectKey(doc, "planning", null, doc.planAttempt, "comment"),
      topic: "plan",
      body: planComment(doc, plan),
    });
  requestPlanReview(draft);
}
