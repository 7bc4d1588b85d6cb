import { describe, expect, it } from "vitest";
import type { GateCheck, GateResult } from "../../src/core/plan/gate-result.ts";
import { escalationComment } from "../../src/core/report/comments.ts";
import { TaskDocument } from "../../src/core/task/document.ts";
import { awaitingGate } from "../../src/core/task/transition.ts";
import {
  AT,
  codeReview,
  command,
  gating,
  head,
  implemented,
  newDoc,
  result,
  settle,
  step,
  succeed,
} from "../fakes/machine.ts";

function red(commit: string, check: Partial<GateCheck> = {}): GateResult {
  return {
    passed: false,
    commit,
    checks: [
      {
        name: "test",
        passed: false,
        reason: "conclusion failure",
        durationMs: 5,
        output:
          "✖ truncate > cuts long text\n  AssertionError: expected 'hello wo…' to be 'hello w…'",
        fingerprint: "f00d",
        rerunnable: true,
        ...check,
      },
    ],
  };
}
const green = (commit: string): GateResult => ({
  passed: true,
  commit,
  checks: [{ name: "test", passed: true, reason: null, durationMs: 5, output: "" }],
});

/** A task waiting for CI on its head `c2`. */
function waiting(doc = newDoc()) {
  return settle(result(gating(doc), { kind: "gate_pending", commit: "c2" }));
}
const ci = (doc: TaskDocument, commit: string, r: GateResult) =>
  settle(step(doc, { type: "gate_result", at: AT, commit, result: r }));

describe("triage of a red gate, before any model call", () => {
  it("a failure seen for the first time is run again once; green then is done, with no model call", () => {
    const before = waiting();
    let doc = ci(before, "c2", red("c2"));
    expect(head(doc)).toEqual({
      kind: "rerun_checks",
      key: "T1:gating:-:2:rerun",
      commit: "c2",
      checks: ["test"],
    });
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    expect(awaitingGate(doc)).toBe("c2");
    doc = ci(doc, "c2", green("c2"));
    expect(doc.state).toBe("done");
    expect(doc.ledger).toEqual(before.ledger);
    expect(doc.steps.some((s) => s.type === "fix")).toBe(false);
    expect(doc.history.map((h) => h.message)).toContain(
      "Running test again on c2: a failure that passes when run again is flaky, not this task's to fix",
    );
  });

  it("red again after the re-run is real: the fixer gets CI's excerpt", () => {
    let doc = ci(waiting(), "c2", red("c2"));
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    doc = ci(doc, "c2", red("c2"));
    expect(doc.state).toBe("fixing");
    const fix = head(doc);
    expect(fix).toMatchObject({ kind: "implement_step", role: "fixer" });
    expect(fix?.kind === "implement_step" ? fix.feedback : "").toContain(
      "AssertionError: expected 'hello wo…' to be 'hello w…'",
    );
  });

  it("the same fingerprint after a fix escalates at once, without a re-run, naming checks, excerpt, what was tried and how to look", () => {
    let doc = ci(waiting(), "c2", red("c2"));
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    doc = ci(doc, "c2", red("c2"));
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    doc = ci(doc, "f1", red("f1"));
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation?.reason).toBe("gate_same_failure");
    const message = doc.escalation?.message ?? "";
    expect(message).toContain("- ❌ test: conclusion failure");
    expect(message).toContain("AssertionError: expected 'hello wo…' to be 'hello w…'");
    expect(message).toMatch(/Tried: 3 gate run\(s\), failed checks run again once; F1: f1\./);
    expect(message).toContain("git fetch origin");
    expect(escalationComment(doc)).toContain(
      "`/retry <feedback>` gives the fixer one more attempt",
    );
  });

  it("a red gate of local commands says how to look without a remote to fetch from", () => {
    const local = (commit: string): GateResult => ({ ...red(commit), local: true });
    let doc = ci(waiting(), "c2", local("c2"));
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    doc = ci(doc, "c2", local("c2"));
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    doc = ci(doc, "f1", local("f1"));
    expect(doc.escalation?.reason).toBe("gate_same_failure");
    const message = doc.escalation?.message ?? "";
    expect(message).toContain("`git checkout f1`");
    expect(message).not.toContain("git fetch");
  });

  it("a different failure after a fix is run again once (it may be flaky), then fixed", () => {
    let doc = ci(waiting(), "c2", red("c2", { rerunnable: false }));
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    doc = ci(doc, "f1", red("f1", { fingerprint: "beef" }));
    expect(head(doc)).toMatchObject({ kind: "rerun_checks", commit: "f1" });
  });

  const failures = (...prints: string[]) =>
    prints.map((p, i) => ({
      tool: "ava",
      test: `truncate › case ${p}`,
      location: `test/truncate.test.js:${12 + i}:5`,
      fingerprint: p,
    }));

  it("a fix that repaired some failures: those left were seen already, so no re-run, the fixer again", () => {
    let doc = ci(
      waiting(),
      "c2",
      red("c2", { fingerprint: "abc", failures: failures("a", "b", "c") }),
    );
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    doc = ci(doc, "c2", red("c2", { fingerprint: "abc", failures: failures("a", "b", "c") }));
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    doc = ci(doc, "f1", red("f1", { fingerprint: "bc", failures: failures("b", "c") }));
    expect(head(doc)).toMatchObject({ kind: "implement_step", role: "fixer" });
    expect(doc.steps.at(-1)?.id).toBe("F2");
  });

  it("the same failures listed in another order after a fix are the same failure", () => {
    let doc = ci(waiting(), "c2", red("c2", { rerunnable: false, failures: failures("a", "b") }));
    doc = succeed(doc, implemented("f1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = settle(result(doc, { kind: "gate_pending", commit: "f1" }));
    doc = ci(doc, "f1", red("f1", { rerunnable: false, failures: failures("b", "a") }));
    expect(doc.escalation?.reason).toBe("gate_same_failure");
  });

  it("infrastructure: re-run once, and if CI fails again the same way, a person is asked", () => {
    const infra = (c: string) =>
      red(c, { infrastructure: true, reason: "conclusion timed_out", fingerprint: "t1" });
    const before = waiting();
    let doc = ci(before, "c2", infra("c2"));
    expect(head(doc)?.kind).toBe("rerun_checks");
    expect(doc.history.at(-1)?.message).toContain("CI failed, not the code");
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    doc = ci(doc, "c2", infra("c2"));
    expect(doc.escalation?.reason).toBe("ci_infrastructure");
    expect(doc.ledger).toEqual(before.ledger);
    // /approve runs the checks again.
    doc = settle(command(doc, "approve"));
    expect(head(doc)).toMatchObject({ kind: "rerun_checks", commit: "c2" });
    expect(doc.state).toBe("gating");
  });

  it("red on the base branch too: escalates at once, saying so", () => {
    const doc = ci(waiting(), "c2", red("c2", { redOnBase: true }));
    expect(doc.escalation?.reason).toBe("base_branch_red");
    expect(doc.escalation?.message).toMatch(/^The base branch is red too: test fail/);
  });

  it("a host that may not re-run says why; the failure goes on as if run again", () => {
    let doc = ci(waiting(), "c2", red("c2"));
    doc = settle(
      result(doc, {
        kind: "rerun_refused",
        reason: "the installation has not granted actions: write",
      }),
    );
    expect(doc.state).toBe("fixing");
    expect(doc.gate.rerunRefused).toBe("the installation has not granted actions: write");
    expect(doc.gate.runs).toBe(1);
    expect(doc.history.map((h) => h.message)).toContain(
      "Checks not run again: the installation has not granted actions: write",
    );
  });

  it("checks the host cannot re-run (a local gate) go to the fixer as before", () => {
    const doc = ci(waiting(), "c2", red("c2", { rerunnable: undefined, fingerprint: undefined }));
    expect(doc.state).toBe("fixing");
  });

  it("documents with the new fields still parse", () => {
    const doc = ci(waiting(), "c2", red("c2"));
    expect(TaskDocument.parse(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });
});

describe("results of a re-run", () => {
  it("a result that still shows the old failed run is not the re-run's: it is ignored", () => {
    let doc = ci(waiting(), "c2", red("c2", { id: "501" }));
    doc = settle(result(doc, { kind: "gate_pending", commit: "c2" }));
    const stale = ci(doc, "c2", red("c2", { id: "501" }));
    expect(stale).toBe(doc);
    expect(
      ci(doc, "c2", { ...green("c2"), checks: [{ ...green("c2").checks[0]!, id: "502" }] }).state,
    ).toBe("done");
  });
});

describe("waiting too long", () => {
  const later = (minutes: number): string =>
    new Date(Date.parse(AT) + minutes * 60_000).toISOString();
  const waitingFor = (at: string, checksStarted: boolean, doc: TaskDocument) =>
    step(doc, { type: "gate_waiting", at, commit: "c2", checksStarted });

  it("no check within the start timeout: a person is asked, told to install the workflow or set required checks", () => {
    const doc = waiting(newDoc({ gateStartMinutes: 15 }));
    expect(waitingFor(later(14), false, doc)).toBe(doc);
    expect(waitingFor(later(60), true, doc)).toBe(doc);
    const stopped = waitingFor(later(16), false, doc);
    expect(stopped.escalation?.reason).toBe("no_ci");
    expect(stopped.escalation?.message).toMatch(
      /^No CI ran on this branch: no check started on `c2` within 15 minute\(s\)/,
    );
    expect(stopped.escalation?.message).toContain("templates/quality-gate.yml");
    expect(stopped.escalation?.message).toContain("gate.required_checks");
    // /retry waits for CI again; /approve finishes without it.
    const again = settle(command(stopped, "retry"));
    expect(head(again)?.kind).toBe("run_gate");
    expect(settle(command(stopped, "approve")).state).toBe("done");
  });

  it("past the task's time limit while waiting for CI: a person is asked; /approve lets it go on", () => {
    const doc = waiting(newDoc({ taskHours: 6 }));
    expect(waitingFor(later(5 * 60), true, doc)).toBe(doc);
    const stopped = waitingFor(later(7 * 60), true, doc);
    expect(stopped.escalation?.reason).toBe("task_timeout");
    expect(stopped.escalation?.message).toBe(
      "The task has run for more than 6 hour(s) (started 2026-01-01T00:00:00.000Z).",
    );
    const resumed = settle(command(stopped, "approve"));
    expect(resumed.deadlineWaived).toBe(true);
    expect(head(resumed)?.kind).toBe("run_gate");
  });

  it("past the time limit at the next model call: that call waits for a person, then goes ahead under its own key", () => {
    const doc = waiting(newDoc({ taskHours: 1 }));
    const red2 = settle(
      step(doc, {
        type: "gate_result",
        at: later(120),
        commit: "c2",
        result: red("c2", { rerunnable: false }),
      }),
    );
    expect(red2.escalation?.reason).toBe("task_timeout");
    const blocked = red2.escalation?.blocked;
    expect(blocked).toMatchObject({ kind: "implement_step", role: "fixer" });
    const resumed = settle(command(red2, "approve"));
    expect(head(resumed)?.key).toBe(blocked?.key);
  });
});
