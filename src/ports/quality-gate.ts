import type { GateResult } from "../core/plan/gate-result.ts";

/** Runs the repository's checks on a task's branch head. */
export interface QualityGate {
  /** Checks the given commit of the task's branch; never throws for a failing check. */
  run(options: {
    readonly task: string;
    readonly branch: string;
    readonly commit: string;
  }): Promise<GateResult>;
}
