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

  /**
   * Runs the named failed checks of a commit again; their result comes later, like `run`'s.
   * Asking twice for the same commit starts them once. Hosts that cannot (no permission, no
   * such check) say why instead of throwing. Absent where checks cannot be run again.
   */
  rerun?(options: {
    readonly task: string;
    readonly commit: string;
    readonly checks: readonly string[];
  }): Promise<{ readonly started: true } | { readonly refused: string }>;
}
