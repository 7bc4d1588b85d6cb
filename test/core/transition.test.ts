import { describe, expect, it } from "vitest";
import { TaskDocument } from "../../src/core/task/document.ts";
import { awaitingGate, transition } from "../../src/core/task/transition.ts";
import {
  AT,
  GREEN,
  PLAN,
  RED,
  ROUTING,
  call,
  codeReview,
  command,
  gating,
  head,
  implemented,
  implementing,
  newDoc,
  planReview,
  result,
  settle,
  started,
  step,
  succeed,
} from "../fakes/machine.ts";

describe("transition: start", () => {
  it("queued → planning, with a status update then the planner call", () => {
    const { state, effects } = transition(newDoc(), {
      type: "start",
      at: AT,
      routing: ROUTING,
      baseCommit: "b0",
    });
    expect(state.state).toBe("planning");
    expect(effects.map((e) => e.kind)).toEqual(["update_status", "call_planner"]);
    expect(effects[1]?.key).toBe("T1:planning:-:1:plan");
    expect(state.baseCommit).toBe("b0");
    expect(state.history.filter((h) => h.category === "routing")).toHaveLength(4);
  });

  it("is ignored once the task has started", () => {
    const doc = started();
    expect(
      transition(doc, { type: "start", at: AT, routing: ROUTING, baseCommit: "x" }).state,
    ).toBe(doc);
  });
});

describe("transition: planning and plan review", () => {
  it("planning → plan_review: posts the plan, then asks the reviewer", () => {
    const { state, effects } = transition(started(), {
      type: "effect_result",
      at: AT,
      key: "T1:planning:-:1:plan",
      outcome: { kind: "plan", plan: PLAN, calls: [call("T1:planning:-:1:plan#0")] },
    });
    expect(state.state).toBe("plan_review");
    expect(effects.map((e) => e.kind)).toEqual([
      "update_status",
      "post_comment",
      "call_plan_reviewer",
    ]);
    expect(state.ledger).toHaveLength(1);
  });

  it("approved plan → implementing the first step", () => {
    const doc = implementing();
    expect(doc.state).toBe("implementing");
    expect(doc.steps.map((s) => s.status)).toEqual(["implementing", "pending"]);
    expect(head(doc)).toMatchObject({
      kind: "implement_step",
      step: 0,
      role: "implementer",
      key: "T1:implementing:S1:1:implement",
    });
  });

  it("needs_revision → planning again with the review as feedback", () => {
    let doc = succeed(started(), { kind: "plan", plan: PLAN, calls: [] });
    doc = succeed(doc, { kind: "plan_review", review: planReview("needs_revision"), calls: [] });
    expect(doc.state).toBe("planning");
    expect(head(doc)).toMatchObject({ kind: "call_planner", key: "T1:planning:-:2:plan" });
    expect(head(doc)).toHaveProperty("feedback", expect.stringContaining("too vague"));
  });

  it("needs_revision past the limit escalates", () => {
    let doc = started(newDoc({ planRevisions: 2 }));
    for (let i = 0; i < 3; i++) {
      doc = succeed(doc, { kind: "plan", plan: PLAN, calls: [] });
      doc = succeed(doc, { kind: "plan_review", review: planReview("needs_revision"), calls: [] });
    }
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation?.reason).toBe("plan_revisions_exhausted");
    expect(doc.planAttempt).toBe(3);
  });

  it("rejected plan escalates with the reviewer's concerns", () => {
    let doc = succeed(started(), { kind: "plan", plan: PLAN, calls: [] });
    const before = doc;
    doc = result(settle(doc), { kind: "plan_review", review: planReview("rejected"), calls: [] });
    expect(before.state).toBe("plan_review");
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation).toMatchObject({ reason: "plan_rejected", phase: "plan_review" });
    expect(doc.outbox.some((e) => e.kind === "post_comment" && e.topic === "escalation")).toBe(
      true,
    );
  });

  it("a provider failure escalates with the blocked call", () => {
    const doc = result(started(), {
      kind: "failed",
      reason: "provider_error",
      message: "401",
      calls: [],
    });
    expect(doc.escalation).toMatchObject({
      reason: "provider_error",
      phase: "planning",
      blocked: { kind: "call_planner" },
    });
  });
});

describe("transition: steps and code review", () => {
  it("implemented → code_review of that step", () => {
    const doc = succeed(implementing(), implemented("c1"));
    expect(doc.state).toBe("code_review");
    expect(doc.headCommit).toBe("c1");
    expect(doc.steps[0]).toMatchObject({
      status: "code_review",
      commits: ["c1"],
      baseCommit: "base000",
    });
    expect(head(doc)).toMatchObject({
      kind: "call_code_reviewer",
      step: 0,
      key: "T1:code_review:S1:1:review",
    });
  });

  it("approved → next step; needs_changes → same step again with the review", () => {
    let doc = succeed(implementing(), implemented("c1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("needs_changes"), calls: [] });
    expect(doc.state).toBe("implementing");
    expect(doc.steps[0]).toMatchObject({ attempt: 2, reviewRounds: 1 });
    expect(head(doc)).toMatchObject({
      key: "T1:implementing:S1:2:implement",
      feedback: expect.stringContaining("handle empty input"),
    });
    doc = succeed(doc, implemented("c1b"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    expect(doc.steps.map((s) => s.status)).toEqual(["completed", "implementing"]);
    expect(doc.steps[1]?.baseCommit).toBe("c1b");
  });

  it("needs_changes past the limit escalates", () => {
    let doc = implementing(newDoc({ stepReviewRounds: 1 }));
    doc = succeed(doc, implemented("c1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("needs_changes"), calls: [] });
    doc = succeed(doc, implemented("c2"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("needs_changes"), calls: [] });
    expect(doc.escalation).toMatchObject({ reason: "review_rounds_exhausted", step: 0 });
  });

  it("a rejected step escalates", () => {
    let doc = succeed(implementing(), implemented("c1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("rejected"), calls: [] });
    expect(doc.escalation?.reason).toBe("step_rejected");
  });

  it("the last approved step → gating", () => {
    const doc = gating();
    expect(doc.state).toBe("gating");
    expect(head(doc)).toMatchObject({ kind: "run_gate", key: "T1:gating:-:1:gate" });
  });

  it("a protected-path refusal escalates and approve redoes the step under a new key", () => {
    let doc = result(implementing(), {
      kind: "failed",
      reason: "protected_path",
      message: ".github/x",
      calls: [],
    });
    expect(doc.escalation?.reason).toBe("protected_path");
    doc = command(doc, "approve");
    expect(head(doc)).toMatchObject({
      kind: "implement_step",
      key: "T1:implementing:S1:2:implement",
    });
  });
});

describe("transition: quality gate", () => {
  it("green → the pull request is marked ready and read back; done (status, summary) only when it matches", () => {
    const green = result(gating(), { kind: "gate", result: GREEN });
    expect(green.state).toBe("gating");
    expect(green.outbox).toMatchObject([{ kind: "sync_pull_request", draft: false, verify: true }]);
    const done = result(green, {
      kind: "pull_request",
      ref: "7:PR_7:ready",
      readBack: { head: "c2", open: true, draft: false },
    });
    expect(done.state).toBe("done");
    expect(done.outbox.map((e) => e.kind)).toEqual(["update_status", "post_comment"]);
    const status = done.outbox[0];
    expect(status?.kind === "update_status" ? status.body : "").toContain(
      "Done: quality gate passed. Next: review the pull request and merge it",
    );
  });

  it("green, but the pull request's head is not the task's: a person is asked, not told it is done", () => {
    const green = result(gating(), { kind: "gate", result: GREEN });
    const moved = settle(
      result(green, {
        kind: "pull_request",
        ref: "7:PR_7:ready",
        readBack: { head: "f00", open: true, draft: false },
      }),
    );
    expect(moved.state).toBe("awaiting_human");
    expect(moved.escalation?.reason).toBe("pull_request_mismatch");
    expect(moved.escalation?.message).toContain(
      "the pull request's head is f00, not the task's c2",
    );
    expect(moved.history.some((h) => h.message.includes("done"))).toBe(false);
  });

  it("red → a fix step for the fixer, with the failure output", () => {
    const doc = settle(result(gating(), { kind: "gate", result: RED }));
    expect(doc.state).toBe("fixing");
    expect(doc.steps.at(-1)).toMatchObject({ id: "F1", type: "fix", status: "implementing" });
    expect(head(doc)).toMatchObject({
      kind: "implement_step",
      role: "fixer",
      key: "T1:fixing:F1:1:implement",
      feedback: expect.stringContaining("expected 1 got 2"),
    });
  });

  it("fix → review → gate again; red after the last attempt escalates", () => {
    let doc = gating(newDoc({ gateAttempts: 2 }));
    for (let fix = 1; fix <= 2; fix++) {
      doc = succeed(doc, { kind: "gate", result: RED });
      doc = succeed(doc, implemented(`f${fix}`));
      expect(doc.state).toBe("code_review");
      doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
      expect(doc.state).toBe("gating");
    }
    doc = succeed(doc, { kind: "gate", result: RED });
    expect(doc.escalation?.reason).toBe("gate_attempts_exhausted");
    expect(doc.gate.runs).toBe(3);
  });
});

describe("transition: a human answers", () => {
  const waiting = (): TaskDocument =>
    result(started(), { kind: "failed", reason: "invalid_output", message: "bad", calls: [] });

  it.each([
    ["approve", "planning", "T1:planning:-:2:plan"],
    ["retry", "planning", "T1:planning:-:2:plan"],
  ] as const)("/%s on a failed planner call → %s under a fresh key", (cmd, state, key) => {
    const doc = command(waiting(), cmd, cmd === "retry" ? "be brief" : undefined);
    expect(doc.state).toBe(state);
    expect(head(doc)).toMatchObject({ key, ...(cmd === "retry" ? { feedback: "be brief" } : {}) });
    expect(doc.escalation).toBeNull();
  });

  it("/reject → failed, /abort → cancelled, each with a summary", () => {
    expect(command(waiting(), "reject").state).toBe("failed");
    const doc = waiting();
    const { state, effects } = transition(doc, {
      type: "command",
      at: AT,
      command: "abort",
      by: "m",
      escalation: doc.escalation!.id,
    });
    expect(state.state).toBe("cancelled");
    expect(effects.map((e) => (e.kind === "post_comment" ? e.topic : e.kind))).toEqual([
      "update_status",
      "summary",
    ]);
  });

  it("/approve on a rejected plan goes ahead with it", () => {
    let doc = succeed(started(), { kind: "plan", plan: PLAN, calls: [] });
    doc = succeed(doc, { kind: "plan_review", review: planReview("rejected"), calls: [] });
    doc = command(doc, "approve");
    expect(doc.state).toBe("implementing");
  });

  it("/approve on exhausted review rounds accepts the step", () => {
    let doc = implementing(newDoc({ stepReviewRounds: 0 }));
    doc = succeed(doc, implemented("c1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("needs_changes"), calls: [] });
    doc = command(doc, "approve");
    expect(doc.steps[0]?.status).toBe("completed");
    expect(doc.currentStep).toBe(1);
  });

  it("/approve with the gate red finishes; /retry gives the fixer one more try", () => {
    const red = succeed(gating(newDoc({ gateAttempts: 0 })), { kind: "gate", result: RED });
    expect(red.escalation?.reason).toBe("gate_attempts_exhausted");
    expect(command(red, "approve").state).toBe("done");
    const retried = command(red, "retry", "look at the off-by-one");
    expect(retried.state).toBe("fixing");
    expect(head(retried)).toHaveProperty("feedback", expect.stringContaining("off-by-one"));
  });

  it("a command when nothing waits, or for an old escalation, changes nothing", () => {
    const running = implementing();
    expect(
      transition(running, { type: "command", at: AT, command: "approve", by: "m", escalation: 1 })
        .state,
    ).toBe(running);
    const doc = waiting();
    expect(
      transition(doc, {
        type: "command",
        at: AT,
        command: "approve",
        by: "m",
        escalation: doc.escalation!.id + 1,
      }).state,
    ).toBe(doc);
  });
});

describe("transition: budget", () => {
  it("stops for a human before a call once the budget is spent, and /approve lifts it", () => {
    let doc = started(newDoc({ budgetUsd: 0.01 }));
    doc = result(doc, {
      kind: "plan",
      plan: PLAN,
      calls: [call("T1:planning:-:1:plan#0", "planner", 0.02)],
    });
    doc = settle(doc);
    expect(doc.escalation).toMatchObject({
      reason: "budget_reached",
      blocked: { kind: "call_plan_reviewer" },
    });
    doc = command(doc, "approve");
    expect(doc.budgetWaived).toBe(true);
    expect(head(doc)).toMatchObject({
      kind: "call_plan_reviewer",
      key: "T1:plan_review:-:2:review",
    });
  });
});

describe("transition: /budget", () => {
  it("raises the budget; a task stopped by its budget makes the blocked call under its own key", () => {
    let doc = started(newDoc({ budgetUsd: 0.01 }));
    doc = result(doc, {
      kind: "plan",
      plan: PLAN,
      calls: [call("T1:planning:-:1:plan#0", "planner", 0.02)],
    });
    doc = settle(doc);
    const blocked = doc.escalation?.blocked;
    expect(blocked).toMatchObject({ kind: "call_plan_reviewer", key: "T1:plan_review:-:1:review" });
    const small = transition(doc, {
      type: "command",
      at: AT,
      command: "budget",
      amountUsd: 0.005,
      by: "m",
      escalation: doc.escalation!.id,
    }).state;
    expect(small.limits.budgetUsd).toBe(0.015);
    expect(small.state).toBe("awaiting_human");
    doc = transition(small, {
      type: "command",
      at: AT,
      command: "budget",
      amountUsd: 1,
      by: "m",
      escalation: small.escalation!.id,
      source: "comment:9",
    }).state;
    expect(doc.limits.budgetUsd).toBe(1.015);
    expect(doc.state).toBe("plan_review");
    expect(doc.budgetWaived).toBe(false);
    expect(doc.outbox.filter((e) => e.kind === "call_plan_reviewer")).toEqual([blocked]);
    expect(doc.commandsSeen).toEqual(["comment:9"]);
    const again = transition(doc, {
      type: "command",
      at: AT,
      command: "budget",
      amountUsd: 1,
      by: "m",
      escalation: 0,
      source: "comment:9",
    });
    expect(again.state).toBe(doc);
  });
});

describe("transition: what never changes a document", () => {
  it.each(["done", "failed", "cancelled"] as const)("anything after %s", (end) => {
    const doc = { ...gating(), state: end, outbox: [] };
    for (const event of [
      { type: "start", at: AT, routing: ROUTING, baseCommit: "x" },
      { type: "command", at: AT, command: "approve", by: "m", escalation: 1 },
      {
        type: "effect_result",
        at: AT,
        key: "T1:gating:-:1:gate",
        outcome: { kind: "gate", result: GREEN },
      },
    ] as const) {
      expect(transition(doc, event).state).toBe(doc);
    }
  });

  it("a result for an effect that is not at the head (stale or repeated)", () => {
    const doc = implementing();
    const again = transition(doc, {
      type: "effect_result",
      at: AT,
      key: "T1:planning:-:1:plan",
      outcome: { kind: "plan", plan: PLAN, calls: [] },
    });
    expect(again.state).toBe(doc);
    expect(again.effects).toEqual([]);
  });

  it("does not change its input", () => {
    const doc = implementing();
    const copy = structuredClone(doc);
    step(doc, { type: "effect_result", at: AT, key: head(doc)!.key, outcome: implemented("c1") });
    expect(doc).toEqual(copy);
    expect(TaskDocument.parse(doc)).toEqual(doc);
  });
});

describe("transition: a gate that answers later (CI)", () => {
  it("pending → waits for the head commit's result; a result for another commit is ignored", () => {
    const waiting = settle(result(gating(), { kind: "gate_pending", commit: "c2" }));
    expect(waiting.state).toBe("gating");
    expect(waiting.outbox).toEqual([]);
    expect(awaitingGate(waiting)).toBe("c2");
    const stale = transition(waiting, { type: "gate_result", at: AT, commit: "c1", result: GREEN });
    expect(stale.state).toBe(waiting);
    const done = settle(
      transition(waiting, {
        type: "gate_result",
        at: AT,
        commit: "c2",
        result: GREEN,
      }).state,
    );
    expect(done.state).toBe("done");
    expect(transition(done, { type: "gate_result", at: AT, commit: "c2", result: RED }).state).toBe(
      done,
    );
  });

  it("a red result from CI starts a fix, and the fix's head is what it waits for next", () => {
    let doc = settle(result(gating(), { kind: "gate_pending", commit: "c2" }));
    doc = settle(step(doc, { type: "gate_result", at: AT, commit: "c2", result: RED }));
    expect(doc.state).toBe("fixing");
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    expect(awaitingGate(doc)).toBe("f1");
  });
});
