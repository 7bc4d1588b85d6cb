import type { GateResult } from "../../plan/gate-result.ts";
import { triageGate } from "../../plan/gate-triage.ts";
import { gateEscalation } from "../../report/gate.ts";
import {
  deadlineMessage,
  effectKey,
  emit,
  escalate,
  note,
  pastDeadline,
  type Draft,
} from "../context.ts";
import type { TaskDocument } from "../document.ts";
import { addFixStep, complete } from "../phases.ts";

/** The commit whose checks the task waits for, or null when it waits for none. */
export function awaitingGate(doc: TaskDocument): string | null {
  const waiting =
    doc.state === "gating" && doc.outbox.length === 0 && doc.gate.results.length < doc.gate.runs;
  return waiting ? doc.headCommit : null;
}

/**
 * Whether a task waiting for CI has waited too long: past its time limit, or with no check
 * started within `gateStartMinutes` of the push.
 */
export function waitedTooLong(doc: TaskDocument, at: string, checksStarted: boolean): boolean {
  if (pastDeadline(doc, at)) return true;
  const minutes = doc.limits.gateStartMinutes;
  const since = doc.gate.pendingSince;
  return (
    !checksStarted &&
    minutes !== undefined &&
    since !== undefined &&
    Date.parse(at) - Date.parse(since) > minutes * 60_000
  );
}

/**
 * A result that still shows a failed check run the task asked to run again: CI has not started
 * the new run yet (the sweep or a late webhook read the old one).
 */
export function sameRunsAgain(doc: TaskDocument, result: GateResult): boolean {
  const last = doc.gate.results.at(-1);
  if (!last || last.commit !== result.commit) return false;
  return last.checks.some(
    (old) =>
      !old.passed &&
      old.id !== undefined &&
      result.checks.some((c) => c.name === old.name && c.id === old.id),
  );
}

/**
 * The checks run elsewhere and answer later. Waiting is not written to history: whether CI had
 * already finished is timing, and the history (and the run log made from it) must not depend on
 * timing.
 */
export function onGatePending(draft: Draft): void {
  draft.doc.gate.pendingSince = draft.at;
}

/** CI has taken too long: past the task's time limit, or no check started at all. */
export function onGateWaiting(draft: Draft, checksStarted: boolean): void {
  const { doc } = draft;
  if (pastDeadline(doc, draft.at))
    return escalate(draft, "task_timeout", deadlineMessage(doc), null);
  if (checksStarted) return;
  escalate(
    draft,
    "no_ci",
    `No CI ran on this branch: no check started on \`${(doc.headCommit ?? "").slice(0, 12)}\` within ${doc.limits.gateStartMinutes ?? 0} minute(s) of the push. Install the workflow template (templates/quality-gate.yml) or set \`gate.required_checks\` in .github/orchestrator.yml.`,
    null,
  );
}

/** A gate result: green completes the task, red is triaged. */
export function onGate(draft: Draft, reported: GateResult): void {
  const { doc } = draft;
  const result = { ...reported, commit: reported.commit ?? doc.headCommit ?? undefined };
  const earlier = doc.gate.results;
  doc.gate.results.push(result);
  const checks = result.checks.map(
    (c) => `${c.passed ? "✅" : "❌"} ${c.name}${c.reason ? `: ${c.reason}` : ""}`,
  );
  // A gate of no checks (`gate.commands: []`, allowed by `gate.allow_none`) proves nothing.
  if (result.checks.length === 0) {
    note(draft, "quality_gate", "warning", `No quality gate configured (run ${doc.gate.runs})`);
    return complete(draft, "no quality gate configured");
  }
  note(
    draft,
    "quality_gate",
    result.passed ? "success" : "error",
    `Quality gate ${result.passed ? "passed" : "FAILED"} (run ${doc.gate.runs})`,
    checks,
  );
  if (result.passed) return complete(draft, "quality gate passed");
  onRed(draft, result, earlier.slice(0, -1));
}

/** The host would not run the failed checks again: the red result is triaged without a re-run. */
export function onRerunRefused(draft: Draft, reason: string): void {
  const { doc } = draft;
  const last = doc.gate.results.at(-1);
  doc.gate.runs -= 1;
  doc.gate.rerunRefused = reason;
  note(draft, "quality_gate", "warning", `Checks not run again: ${reason}`);
  if (last) onRed(draft, last, doc.gate.results.slice(0, -1));
}

/** What a red gate leads to: a re-run, an escalation, or a fix. */
function onRed(draft: Draft, result: GateResult, earlier: readonly GateResult[]): void {
  const { doc } = draft;
  const rerunDone = doc.gate.rerunCommit === result.commit || doc.gate.rerunRefused !== undefined;
  const decision = triageGate(result, earlier, rerunDone);
  switch (decision.kind) {
    case "rerun":
      return rerunChecks(draft, result, decision.checks, decision.why);
    case "base_red":
      return escalate(
        draft,
        "base_branch_red",
        gateEscalation(
          doc,
          result,
          `The base branch is red too: ${decision.checks.join(", ")} fail(s) the same way on its latest run, so the failure is not this task's.`,
        ),
        null,
      );
    case "infrastructure":
      return escalate(
        draft,
        "ci_infrastructure",
        gateEscalation(
          doc,
          result,
          `CI itself failed (${decision.checks.join(", ")}: cancelled, timed out or lost its runner), again after a re-run.`,
        ),
        null,
      );
    case "same_failure":
      return escalate(
        draft,
        "gate_same_failure",
        gateEscalation(
          doc,
          result,
          `The fix did not change the failure: ${decision.checks.join(", ")} fail(s) exactly as before.`,
        ),
        null,
      );
    case "fix":
      if (doc.gate.fixes >= doc.limits.gateAttempts)
        return escalate(
          draft,
          "gate_attempts_exhausted",
          gateEscalation(
            doc,
            result,
            `The quality gate is still red after ${doc.gate.fixes} fix attempt(s).`,
          ),
          null,
        );
      return addFixStep(draft, result, null);
  }
}

/** Runs failed checks again on the same commit: once per commit, and no model is called for it. */
export function rerunChecks(
  draft: Draft,
  result: GateResult,
  checks: readonly string[],
  why: string,
): void {
  const { doc } = draft;
  const commit = result.commit ?? doc.headCommit ?? "";
  doc.gate.rerunCommit = commit;
  doc.gate.runs += 1;
  note(
    draft,
    "quality_gate",
    "warning",
    `Running ${checks.join(", ")} again on ${commit.slice(0, 12)}: ${why}`,
  );
  emit(draft, {
    kind: "rerun_checks",
    key: effectKey(doc, "gating", null, doc.gate.runs, "rerun"),
    commit,
    checks: [...checks],
  });
}
