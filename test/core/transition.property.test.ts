import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GateResult } from "../../src/core/plan/gate-result.ts";
import { TaskDocument, TERMINAL_STATES } from "../../src/core/task/document.ts";
import { isModelEffect } from "../../src/core/task/effects.ts";
import type { EffectOutcome, TaskEvent } from "../../src/core/task/events.ts";
import { awaitingGate, transition } from "../../src/core/task/transition.ts";
import {
  AT,
  GREEN,
  PLAN,
  RED,
  ROUTING,
  call,
  codeReview,
  newDoc,
  planReview,
} from "../fakes/machine.ts";

type Choice =
  | { kind: "answer"; variant: number }
  | { kind: "stale" }
  | { kind: "command"; command: "approve" | "retry" | "reject" | "abort"; offset: number };

const choice: fc.Arbitrary<Choice> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant("answer" as const), variant: fc.nat(20) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stale" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("command" as const),
      command: fc.constantFrom(
        "approve",
        "approve",
        "approve",
        "retry",
        "retry",
        "reject",
        "abort",
      ),
      offset: fc.constantFrom(0, 0, 0, -1, 1),
    }),
  },
);

const FAILURES = [
  "provider_error",
  "invalid_output",
  "refusal",
  "truncated",
  "tool_limit",
  "protected_path",
  "no_changes",
] as const;

/** A plausible outcome for the effect at the head, picked by `variant`. */
function outcomeFor(doc: TaskDocument, variant: number, n: number): EffectOutcome {
  const effect = doc.outbox[0];
  if (!effect) throw new Error("empty outbox");
  const calls = [call(`${effect.key}#0`, "planner", 0.004)];
  if (isModelEffect(effect) && variant === 20)
    return {
      kind: "failed",
      reason: FAILURES[n % FAILURES.length] ?? "provider_error",
      message: "failed",
      calls,
    };
  switch (effect.kind) {
    case "call_planner":
      return { kind: "plan", plan: PLAN, calls };
    case "call_plan_reviewer":
      return {
        kind: "plan_review",
        review: planReview(
          variant % 10 < 6 ? "approved" : variant % 10 < 9 ? "needs_revision" : "rejected",
        ),
        calls,
      };
    case "implement_step":
      return { kind: "implemented", commit: `c${n}`, files: ["a.js"], calls };
    case "call_code_reviewer":
      return {
        kind: "code_review",
        review: codeReview(
          variant % 10 < 6 ? "approved" : variant % 10 < 9 ? "needs_changes" : "rejected",
        ),
        calls,
      };
    case "run_gate":
      if (variant % 5 === 4) return { kind: "gate_pending", commit: doc.headCommit ?? "" };
      return { kind: "gate", result: (variant % 3 === 0 ? RED : GREEN) satisfies GateResult };
    default:
      return { kind: "done" };
  }
}

function eventFor(doc: TaskDocument, c: Choice, n: number): TaskEvent {
  if (c.kind === "stale")
    return { type: "effect_result", at: AT, key: `T1:stale:${n}`, outcome: { kind: "done" } };
  const waitingFor = awaitingGate(doc);
  if (waitingFor !== null && c.kind === "answer") {
    const commit = c.variant % 7 === 0 ? "stale-sha" : waitingFor;
    return { type: "gate_result", at: AT, commit, result: c.variant % 3 === 0 ? RED : GREEN };
  }
  if (c.kind === "command" || doc.outbox.length === 0) {
    const cmd = c.kind === "command" ? c.command : "approve";
    return {
      type: "command",
      at: AT,
      command: cmd,
      by: "m",
      escalation: (doc.escalation?.id ?? 0) + (c.kind === "command" ? c.offset : 0),
      ...(cmd === "retry" ? { feedback: "try again" } : {}),
    };
  }
  return {
    type: "effect_result",
    at: AT,
    key: doc.outbox[0]?.key ?? "",
    outcome: outcomeFor(doc, c.variant, n),
  };
}

function checkInvariants(doc: TaskDocument): void {
  expect(() => TaskDocument.parse(doc)).not.toThrow();
  expect(doc.state === "awaiting_human").toBe(doc.escalation !== null);
  expect(
    doc.outbox.filter((e) => isModelEffect(e) || e.kind === "run_gate").length,
  ).toBeLessThanOrEqual(1);
  expect(new Set(doc.outbox.map((e) => e.key)).size).toBe(doc.outbox.length);
  expect(new Set(doc.ledger.map((c) => c.key)).size).toBe(doc.ledger.length);
  if (TERMINAL_STATES.has(doc.state)) {
    expect(
      doc.outbox.every((e) =>
        ["post_comment", "update_status", "sync_pull_request", "report_check"].includes(e.kind),
      ),
    ).toBe(true);
    expect(
      doc.steps.some(
        (s) => s.status === "pending" || s.status === "implementing" || s.status === "code_review",
      ),
    ).toBe(false);
  }
  if (doc.state === "implementing" || doc.state === "fixing" || doc.state === "code_review") {
    const current = doc.currentStep === null ? undefined : doc.steps[doc.currentStep];
    expect(current?.status).toBe(doc.state === "code_review" ? "code_review" : "implementing");
    expect(current?.type === "fix").toBe(
      doc.state === "fixing" || (doc.state === "code_review" && current?.type === "fix"),
    );
  }
  expect(doc.planRevisions).toBeLessThanOrEqual(doc.limits.planRevisions);
  for (const s of doc.steps)
    expect(s.reviewRounds).toBeLessThanOrEqual(doc.limits.stepReviewRounds);
  expect(doc.gate.fixes).toBeLessThanOrEqual(doc.limits.gateAttempts + doc.escalations);
  expect(
    doc.steps.filter((s) => s.status === "implementing" || s.status === "code_review").length,
  ).toBeLessThanOrEqual(1);
}

describe("transition: random event sequences", () => {
  const seen = new Set<string>();
  it("never reach an invalid document, and are deterministic", () => {
    fc.assert(
      fc.property(
        fc.array(choice, { minLength: 1, maxLength: 250, size: "max" }),
        fc.nat(3),
        (choices, limit) => {
          let doc = transition(
            newDoc({
              planRevisions: limit,
              stepReviewRounds: limit,
              gateAttempts: limit,
              budgetUsd: limit === 3 ? 0.05 : null,
            }),
            { type: "start", at: AT, routing: ROUTING, baseCommit: "b0" },
          ).state;
          checkInvariants(doc);
          choices.forEach((c, n) => {
            const event = eventFor(doc, c, n);
            const next = transition(doc, event);
            expect(transition(doc, event)).toEqual(next);
            doc = next.state;
            checkInvariants(doc);
            seen.add(doc.state);
          });
        },
      ),
      { numRuns: 150 },
    );
    // The generator must reach every state, or the invariants above prove little.
    expect([...seen].sort()).toEqual([
      "awaiting_human",
      "cancelled",
      "code_review",
      "done",
      "failed",
      "fixing",
      "gating",
      "implementing",
      "plan_review",
      "planning",
    ]);
  });
});
