import { describe, expect, it } from "vitest";
import { nextStep } from "../../src/core/report/comments.ts";
import { statusBody } from "../../src/core/report/status.ts";
import { EscalationReason, type TaskDocument } from "../../src/core/task/document.ts";
import { ESCALATIONS } from "../../src/core/task/escalations.ts";
import { AT, command, gating, result, settle, step, GREEN } from "../fakes/machine.ts";

function escalated(reason: EscalationReason): TaskDocument {
  const doc = gating();
  return {
    ...doc,
    state: "awaiting_human",
    outbox: [],
    escalation: {
      id: 1,
      reason,
      message: "why",
      phase: "gating",
      step: null,
      blocked: null,
      at: AT,
    },
  };
}

describe("every end or pause leaves a status naming the reason and the next command", () => {
  it.each(EscalationReason.options)("escalation %s", (reason) => {
    const body = statusBody(escalated(reason));
    expect(body).toContain(`Waiting for a human: ${reason.replace(/_/g, " ")}.`);
    expect(body).toContain("`/reject` stops the task, `/abort` cancels it.");
    // Each reason says what its own answers do (its row in ESCALATIONS; a reason without one
    // does not compile).
    const row = ESCALATIONS[reason];
    expect(nextStep(reason)).toContain(`\`/approve\` ${row.approve.says}`);
    expect(nextStep(reason)).toContain(`\`/retry <feedback>\` ${row.retry.says}`);
    expect(body).toContain(nextStep(reason));
  });

  it("done, failed and cancelled: the reason from the history and what to do next", () => {
    const done = settle(
      result(result(gating(), { kind: "gate", result: GREEN }), { kind: "done" }),
    );
    expect(done.state).toBe("done");
    expect(statusBody(done)).toContain("Done: quality gate passed. Next: review the pull request");
    const waiting = escalated("step_rejected");
    const rejected = command(waiting, "reject");
    expect(statusBody(rejected)).toContain(
      "Failed: rejected by maintainer. Next: label the issue again",
    );
    const aborted = command(waiting, "abort");
    expect(statusBody(aborted)).toContain(
      "Cancelled: aborted by maintainer. Next: label the issue again",
    );
  });

  it("the status update is the first effect of each end, before the comments it announces", () => {
    const waiting = escalated("gate_attempts_exhausted");
    for (const cmd of ["reject", "abort"] as const) {
      const ended = step(waiting, {
        type: "command",
        at: AT,
        command: cmd,
        by: "maintainer",
        escalation: 1,
      });
      expect(ended.outbox.map((e) => e.kind)).toEqual([
        "update_status",
        "sync_pull_request",
        "post_comment",
      ]);
    }
  });
});
