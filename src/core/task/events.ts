import type { CostRange } from "../cost/estimate.ts";
import type { CallRecord } from "../cost/ledger.ts";
import type { GateResult } from "../plan/gate-result.ts";
import type { CodeReview, Plan, PlanReview } from "../plan/plan.ts";
import type { StepRouting, TaskRouting } from "../vocabulary/routing-decision.ts";
import type { EscalationReason } from "./document.ts";
import type { ToolNote } from "./tool-log.ts";

/** What the step guard found in a step's diff, as lines (`path:line: what`). */
/** One file of a diff: its path and how many lines it added and removed. */
export interface FileStat {
  readonly path: string;
  readonly additions: number;
  readonly deletions: number;
}

export interface GuardSummary {
  readonly outsidePlan: string[];
  readonly weakening: string[];
  readonly unplannedLines: number;
}

/** What an effect produced. Model calls made on the way are always reported, even on failure. */
export type EffectOutcome =
  | { kind: "plan"; plan: Plan; calls: CallRecord[]; estimate?: CostRange }
  | { kind: "plan_review"; review: PlanReview; calls: CallRecord[] }
  | {
      kind: "implemented";
      commit: string;
      files: string[];
      calls: CallRecord[];
      /** The commit was found by its key (made by an earlier run), not made now. */
      foundAgain?: true;
      /** The tool loop's calls, for the run log (none from an agent CLI). */
      tools?: ToolNote[];
    }
  | {
      kind: "code_review";
      review: CodeReview;
      calls: CallRecord[];
      guard?: GuardSummary;
      /** What the reviewed diff changed, per file. */
      stats?: readonly FileStat[];
    }
  /** The step changed too much outside its planned files: no review was asked for. */
  | { kind: "scope_exceeded"; guard: GuardSummary }
  | { kind: "gate"; result: GateResult }
  /** The checks run elsewhere (CI); their result arrives later as a `gate_result` event. */
  | { kind: "gate_pending"; commit: string }
  /** The host would not run the checks again (for example a permission it was not given). */
  | { kind: "rerun_refused"; reason: string }
  | { kind: "done" }
  /** The pull request exists; `ref` lets the next sync find it without a lookup. */
  | {
      kind: "pull_request";
      ref: string;
      /** Read back from the host (when asked to verify): the head commit and whether it is open and ready. */
      readBack?: { head: string; open: boolean; draft: boolean };
    }
  | {
      kind: "failed";
      reason: EscalationReason;
      message: string;
      calls: CallRecord[];
      /** An implementation's tool calls up to the failure, for the run log. */
      tools?: ToolNote[];
    };

/** A maintainer's review of the task's pull request, with its comments on the diff. */
export interface PullReview {
  readonly id: number;
  /** `changes_requested` or `commented`. */
  readonly state: string;
  readonly body: string;
  readonly comments: readonly {
    readonly id: number;
    readonly path: string;
    readonly line: number | null;
    readonly body: string;
  }[];
}

export type HumanCommand = "approve" | "retry" | "reject" | "abort" | "budget";

export type TaskEvent =
  | {
      type: "start";
      at: string;
      routing: TaskRouting;
      /** Step classes routed apart from the task (`routeSteps`). */
      stepRouting?: Record<string, StepRouting>;
      baseCommit: string;
    }
  | { type: "effect_result"; at: string; key: string; outcome: EffectOutcome }
  /** Checks finished on a commit; applies only while the task waits for that commit's gate. */
  | { type: "gate_result"; at: string; commit: string; result: GateResult }
  /** The task's pull request was merged or closed unmerged (a later outcome, for learning). */
  | {
      type: "pull_request_closed";
      at: string;
      /** The pull request closed: the event applies only to the task's own. */
      pull: number;
      merged: boolean;
      mergeCommit?: string;
    }
  /** The lines a merged task added, counted `SURVIVAL_DAYS` after the merge (a later outcome). */
  | { type: "lines_survived"; at: string; lines: number; surviving: number }
  /** A person with write access reviewed the pull request: a review round, once per review. */
  | {
      type: "review";
      at: string;
      /** The pull request reviewed: the event applies only to the task's own. */
      pull: number;
      by: string;
      source: string;
      review: PullReview;
    }
  /**
   * CI has not answered yet on a commit the task waits for (the sweep looks): applies only when
   * waiting has become too long, for the task or for CI to start.
   */
  | { type: "gate_waiting"; at: string; commit: string; checksStarted: boolean }
  | {
      type: "command";
      at: string;
      command: HumanCommand;
      feedback?: string;
      /** Dollars added to the task's budget by `budget`. */
      amountUsd?: number;
      by: string;
      /** What carried the command (a comment id); each one is applied at most once. */
      source?: string;
      /** The escalation the command answers; a command for another one is stale. */
      escalation: number;
    };
