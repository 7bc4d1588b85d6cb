import type { GateResult } from "../core/plan/gate-result.ts";

/** The checks run elsewhere; their result arrives later as an event. */
export interface GatePending {
  readonly pending: true;
}

/** Runs the repository's checks on a task's branch head. */
export interface QualityGate {
  /**
   * Checks the given commit of the task's branch, or starts checks whose result comes later.
   * Never throws for a failing check.
   */
  run(options: {
    readonly task: string;
    readonly branch: string;
    readonly commit: string;
  }): Promise<GateResult | GatePending>;
}
