import { describe, expect, it } from "vitest";
import type { TaskDocument } from "../../../src/core/task/document.ts";
import type { GuardSummary } from "../../../src/core/task/events.ts";
import {
  codeReview,
  command,
  head,
  implemented,
  implementing,
  result,
  settle,
  succeed,
} from "../../fakes/machine.ts";

/** S1 committed (c1), its review call at the head. */
function reviewing(doc = implementing()): TaskDocument {
  return succeed(doc, implemented("c1"));
}

const GUARD: GuardSummary = { outsidePlan: [], weakening: [], unplannedLines: 0 };

describe("code review: the step guard's findings", () => {
  it("too much outside the plan: a person is asked before any review, and /approve sends the step to review", () => {
    const doc = reviewing();
    const blocked = head(doc);
    const stopped = settle(
      result(doc, {
        kind: "scope_exceeded",
        guard: { ...GUARD, outsidePlan: ["b.js", "c.js"], unplannedLines: 250 },
      }),
    );
    expect(stopped.state).toBe("awaiting_human");
    expect(stopped.escalation).toMatchObject({ reason: "scope_exceeded", blocked });
    expect(stopped.escalation?.message).toBe(
      "Step S1 changed 250 line(s) outside its planned files (a.js), more than the 0 allowed:\n- b.js\n- c.js",
    );
    expect(stopped.steps[0]?.reviews).toEqual([]);
    const approved = command(stopped, "approve");
    expect(approved.steps[0]?.scopeApproved).toBe(true);
    expect(head(approved)).toMatchObject({ kind: "call_code_reviewer", step: 0 });
    expect(head(approved)?.key).not.toBe(blocked?.key);
  });

  it("a change that weakens the checks becomes a required change; still there at the next review, an escalation", () => {
    const weakening = ["a.test.js:3: a test was deleted"];
    const first = settle(
      result(reviewing(), {
        kind: "code_review",
        review: codeReview("approved"),
        calls: [],
        guard: { ...GUARD, weakening },
      }),
    );
    expect(first.steps[0]?.reviews.at(-1)).toMatchObject({
      status: "needs_changes",
      required_changes: [
        "Undo this change, which weakens the checks: a.test.js:3: a test was deleted",
      ],
    });
    expect(head(first)).toMatchObject({
      kind: "implement_step",
      feedback: expect.stringContaining("Undo this change, which weakens the checks"),
    });
    const again = settle(
      result(succeed(first, implemented("c2")), {
        kind: "code_review",
        review: codeReview("approved"),
        calls: [],
        guard: { ...GUARD, weakening },
      }),
    );
    expect(again.escalation?.reason).toBe("test_weakening");
    expect(again.escalation?.message).toContain("- a.test.js:3: a test was deleted");
    // The review that was overruled is not kept as the step's verdict.
    expect(again.steps[0]?.reviews).toHaveLength(1);
  });

  it("a review after the weakening is undone goes through as the reviewer said", () => {
    const weakening = ["a.test.js:3: a test was deleted"];
    const first = settle(
      result(reviewing(), {
        kind: "code_review",
        review: codeReview("approved"),
        calls: [],
        guard: { ...GUARD, weakening },
      }),
    );
    const fixed = settle(
      result(succeed(first, implemented("c2")), {
        kind: "code_review",
        review: codeReview("approved"),
        calls: [],
        guard: GUARD,
      }),
    );
    expect(fixed.steps[0]?.status).toBe("completed");
    expect(fixed.steps[0]?.weakening).toEqual([]);
    expect(head(fixed)).toMatchObject({ kind: "implement_step", step: 1 });
  });

  it("each verdict makes the commit's check run, and a pull request review once the pull request exists", () => {
    const doc = reviewing();
    const verdict = result(doc, {
      kind: "code_review",
      review: codeReview("needs_changes"),
      calls: [],
    });
    const kinds = (d: TaskDocument) => d.outbox.map((e) => e.kind);
    expect(kinds(verdict)).toContain("report_check");
    expect(verdict.outbox.find((e) => e.kind === "report_check")).toMatchObject({
      commit: "c1",
      conclusion: "neutral",
    });
    // Here the draft pull request's sync answered without a reference: no review to post on.
    const withPull = result(
      { ...doc, pullRequest: "7:PR_7:draft" },
      {
        kind: "code_review",
        review: codeReview("needs_changes"),
        calls: [],
      },
    );
    expect(kinds(withPull)).toContain("post_review");
    expect(kinds(verdict)).not.toContain("post_review");
  });
});
