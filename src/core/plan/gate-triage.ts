import type { GateCheck, GateResult } from "./gate-result.ts";

export type GateDecision =
  /** Run these checks again on the same commit, with no model call. */
  | { kind: "rerun"; checks: string[]; why: string }
  /** They fail the same way on the base branch: not this task's failure. */
  | { kind: "base_red"; checks: string[] }
  /** CI itself failed, and failed again after a re-run (or could not be re-run). */
  | { kind: "infrastructure"; checks: string[] }
  /** A fix was pushed and the checks fail exactly as they did before it. */
  | { kind: "same_failure"; checks: string[] }
  /** A real failure: the fixer gets it. */
  | { kind: "fix" };

/**
 * Triage of a red gate before any model is called. Infrastructure failures (cancelled, timed
 * out, runner lost) and failures that may be flaky are run again once per commit; a failure the
 * base branch shows too is not the task's to fix; a fix that changed nothing is not tried again.
 * `earlier` are the results before this one; `rerunDone` says this commit was re-run already.
 */
export function triageGate(
  result: GateResult,
  earlier: readonly GateResult[],
  rerunDone: boolean,
): GateDecision {
  const failed = result.checks.filter((c) => !c.passed);
  const names = (checks: readonly GateCheck[]): string[] => checks.map((c) => c.name);
  const onBase = failed.filter((c) => c.redOnBase === true);
  if (onBase.length > 0 && onBase.length === failed.filter((c) => !c.infrastructure).length)
    return { kind: "base_red", checks: names(onBase) };
  const previous = [...earlier].reverse().find((r) => !r.passed && r.commit !== result.commit);
  if (previous && sameFailure(failed, previous))
    return { kind: "same_failure", checks: names(failed) };
  // A test failure seen before in this task is not flaky; CI's own failures always get a re-run.
  // Failures are compared one by one: after a fix that repaired some of them, the rest were seen.
  const seen = new Set(
    earlier.flatMap((r) => r.checks.filter((c) => !c.passed).flatMap(fingerprintsOf)),
  );
  const rerun = failed.filter(
    (c) =>
      c.rerunnable === true &&
      (c.infrastructure === true ||
        c.fingerprint === undefined ||
        !fingerprintsOf(c).every((f) => seen.has(f))),
  );
  if (!rerunDone && rerun.length > 0)
    return {
      kind: "rerun",
      checks: names(rerun),
      why: rerun.every((c) => c.infrastructure === true)
        ? "CI failed, not the code (cancelled, timed out or runner lost)"
        : "a failure that passes when run again is flaky, not this task's to fix",
    };
  if (failed.length > 0 && failed.every((c) => c.infrastructure === true))
    return { kind: "infrastructure", checks: names(failed) };
  return { kind: "fix" };
}

/** A failed check's failures' own fingerprints, or its one fingerprint when the log had none. */
function fingerprintsOf(check: GateCheck): string[] {
  if (check.failures && check.failures.length > 0) return check.failures.map((f) => f.fingerprint);
  return check.fingerprint === undefined ? [] : [check.fingerprint];
}

/** The same checks fail with the same set of failures (in whatever order the logs print them). */
function sameFailure(failed: readonly GateCheck[], previous: GateResult): boolean {
  const key = (checks: readonly GateCheck[]): string =>
    checks
      .filter((c) => !c.passed)
      .map((c) => `${c.name}:${[...new Set(fingerprintsOf(c))].sort().join(",")}`)
      .sort()
      .join("\n");
  return failed.every((c) => c.fingerprint !== undefined) && key(failed) === key(previous.checks);
}
