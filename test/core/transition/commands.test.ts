import { describe, expect, it } from "vitest";
import { EscalationReason, type TaskDocument } from "../../../src/core/task/document.ts";
import type { Effect } from "../../../src/core/task/effects.ts";
import { ESCALATIONS, type EscalationRow } from "../../../src/core/task/escalations.ts";
import { transition } from "../../../src/core/task/transition.ts";
import { AT, RED, implemented, implementing, succeed } from "../../fakes/machine.ts";

/**
 * A task stopped for `reason` while S1 (committed as c1) waited for its code review: the review
 * call is the blocked effect, and the gate was red once.
 */
function escalated(reason: EscalationReason): { doc: TaskDocument; blocked: Effect } {
  const reviewing = succeed(implementing(), implemented("c1"));
  const blocked = reviewing.outbox[0];
  if (blocked?.kind !== "call_code_reviewer") throw new Error("S1 is not in review");
  const doc: TaskDocument = {
    ...reviewing,
    state: "awaiting_human",
    outbox: [],
    // Counters an answer starts again from zero.
    planRevisions: 2,
    steps: reviewing.steps.map((s, i) => (i === 0 ? { ...s, reviewRounds: 2 } : s)),
    gate: { ...reviewing.gate, runs: 1, results: [{ ...RED, commit: "c1" }] },
    escalations: 1,
    escalation: { id: 1, reason, message: "why", phase: "code_review", step: 0, blocked, at: AT },
  };
  return { doc, blocked };
}

function answer(doc: TaskDocument, command: "approve" | "retry") {
  return transition(doc, {
    type: "command",
    at: AT,
    command,
    by: "maintainer",
    escalation: 1,
    ...(command === "retry" ? { feedback: "more care" } : {}),
  });
}

/** The first effect that is not a notice (status, comment): what the task does next. */
function work(effects: readonly Effect[]): Effect | undefined {
  return effects.find((e) => e.kind !== "update_status" && e.kind !== "post_comment");
}

describe("/approve and /retry do what the reason's row in ESCALATIONS names", () => {
  const cases = EscalationReason.options.flatMap((reason) =>
    (["approve", "retry"] as const).map((command) => ({
      reason,
      command,
      does:
        command === "approve" ? ESCALATIONS[reason].approve.does : ESCALATIONS[reason].retry.does,
    })),
  );

  it.each(cases)("$reason: /$command → $does", ({ reason, command, does }) => {
    const { doc, blocked } = escalated(reason);
    const { state, effects } = answer(doc, command);
    const next = work(effects);
    expect(state.escalation).toBeNull();
    expect(state.history.at(-1)?.message ?? "").not.toContain("Human review required");
    const feedback = command === "retry" ? "more care" : null;
    switch (does) {
      case "accept_plan":
        expect(state.steps.map((s) => [s.id, s.commits.length])).toEqual([
          ["S1", 0],
          ["S2", 0],
        ]);
        expect(next).toMatchObject({ kind: "implement_step", step: 0, feedback: null });
        break;
      case "accept_scope":
        expect(state.steps[0]?.scopeApproved).toBe(true);
        expect(next).toMatchObject({ kind: "call_code_reviewer", step: 0 });
        expect(next?.key).not.toBe(blocked.key);
        break;
      case "accept_step":
        expect(state.steps[0]?.status).toBe("completed");
        expect(next).toMatchObject({ kind: "implement_step", step: 1 });
        break;
      case "finish_red":
        expect(state.completing).toBe("accepted by maintainer with the quality gate red");
        expect(next).toMatchObject({ kind: "sync_pull_request", draft: false, verify: true });
        break;
      case "finish_without_ci":
        expect(state.completing).toBe("accepted by maintainer with no CI run on the head");
        expect(next).toMatchObject({ kind: "sync_pull_request", verify: true });
        break;
      case "finish_as_is":
        expect(state.state).toBe("done");
        expect(effects.map((e) => e.kind)).not.toContain("sync_pull_request");
        break;
      case "rerun_checks":
        expect(state.state).toBe("gating");
        expect(next).toMatchObject({ kind: "rerun_checks", commit: "c1", checks: ["test"] });
        break;
      case "resume":
        // The blocked effect as it was, under its own key: what it already did is found again.
        expect(state.state).toBe("code_review");
        expect(next).toEqual(blocked);
        break;
      case "redo":
        if (feedback === null) {
          expect(next).toMatchObject({ kind: "call_code_reviewer", step: 0 });
          expect(next?.key).not.toBe(blocked.key);
        } else expect(next).toMatchObject({ kind: "implement_step", step: 0, feedback });
        break;
      case "plan_again":
        expect(state.planRevisions).toBe(0);
        expect(next).toMatchObject({ kind: "call_planner", feedback });
        break;
      case "implement_again":
        expect(state.steps[0]?.reviewRounds).toBe(0);
        expect(next).toMatchObject({ kind: "implement_step", step: 0, feedback });
        break;
      case "implement_in_scope":
        expect(next).toMatchObject({
          kind: "implement_step",
          step: 0,
          feedback: "more care\nKeep the changes to the step's planned files: a.js.",
        });
        break;
      case "fix":
        expect(state.steps.at(-1)).toMatchObject({ id: "F1", type: "fix" });
        expect(next).toMatchObject({ kind: "implement_step", role: "fixer" });
        if (feedback) expect(next).toMatchObject({ feedback: expect.stringContaining(feedback) });
        break;
      case "wait_for_ci":
        expect(next).toMatchObject({ kind: "run_gate" });
        break;
      case "complete_again":
        expect(state.completing).toBe("finished again for maintainer");
        expect(next).toMatchObject({ kind: "sync_pull_request", verify: true });
        break;
    }
  });

  it("either answer lifts the limit a row waives, and only that one", () => {
    for (const reason of EscalationReason.options)
      for (const command of ["approve", "retry"] as const) {
        const { state } = answer(escalated(reason).doc, command);
        const row: EscalationRow = ESCALATIONS[reason];
        expect([reason, state.deadlineWaived === true]).toEqual([
          reason,
          row.waives === "deadline",
        ]);
        expect([reason, state.budgetWaived]).toEqual([reason, row.waives === "budget"]);
      }
  });

  it("/reject and /abort end the task whatever the reason", () => {
    for (const reason of EscalationReason.options) {
      const { doc } = escalated(reason);
      const end = (command: "reject" | "abort") =>
        transition(doc, { type: "command", at: AT, command, by: "maintainer", escalation: 1 }).state
          .state;
      expect([reason, end("reject"), end("abort")]).toEqual([reason, "failed", "cancelled"]);
    }
  });
});
