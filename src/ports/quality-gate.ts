import type { GateResult } from "../core/plan/gate-result.ts";

/** The checks run elsewhere; their result arrives later as an event. */
export interface GatePending {
  readonly pending: true;
}

export interface GateStatus {
  readonly result: GateResult | null;
  readonly started: boolean;
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
   * Where the checks of a commit stand, for a host told they finished (or looking on its own):
   * the verdict (null while checks are missing or running) and whether any counted check has
   * started. Absent where `run` always answers at once.
   */
  status?(options: { readonly commit: string }): Promise<GateStatus>;

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
