import { z } from "zod";
import { CallRecord } from "../cost/ledger.ts";
import { GateResult } from "../plan/gate-result.ts";
import { CodeReview, Plan, PlanReview, StepType } from "../plan/plan.ts";
import { RoutingDecision, StepRouting } from "../vocabulary/routing-decision.ts";
import { TaskDefinition } from "./definition.ts";
import { Complexity, Risk } from "../vocabulary/task-class.ts";
import { Effect } from "./effects.ts";

/**
 * The task document: the whole truth about one task, saved after every effect.
 *
 * Schema changelog (add a line, an upgrade step in `upgradeDocument` and a fixture under
 * test/fixtures/state/historical/ per version):
 * - 1: first version.
 * - 2: `commandsSeen` (each command comment is applied once); `pullRequest`; escalation reason
 *   `workspace_error`; command `budget`.
 */
export const SCHEMA_VERSION = 2;

export const TaskState = z.enum([
  "queued",
  "planning",
  "plan_review",
  "implementing",
  "code_review",
  "gating",
  "fixing",
  "awaiting_human",
  "done",
  "failed",
  "cancelled",
]);
export type TaskState = z.infer<typeof TaskState>;

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(["done", "failed", "cancelled"]);

export const StepStatus = z.enum([
  "pending",
  "implementing",
  "code_review",
  "completed",
  "failed",
  "skipped",
]);
export type StepStatus = z.infer<typeof StepStatus>;

export const StepRecord = z.strictObject({
  id: z.string(),
  type: StepType,
  description: z.string(),
  risk: Risk,
  complexity: Complexity,
  files: z.array(z.string()),
  testsRequired: z.boolean(),
  status: StepStatus,
  /** Implementation attempts started (keys use it). */
  attempt: z.number().int().nonnegative(),
  /** Reviews that asked for changes. */
  reviewRounds: z.number().int().nonnegative(),
  /** Review calls started (keys use it). */
  reviewAttempt: z.number().int().nonnegative(),
  /** Branch head before this step's first commit; the step's diff starts here. */
  baseCommit: z.string().nullable(),
  commits: z.array(z.string()),
  reviews: z.array(CodeReview),
  /** Changes weakening the checks found in the step's last reviewed diff (`path:line: what`). */
  weakening: z.array(z.string()).optional(),
  /** A person accepted the step's changes outside its planned files. */
  scopeApproved: z.boolean().optional(),
  /** For a review round: the pull request review and the comments this step answers. */
  answers: z
    .strictObject({ review: z.number().int(), comments: z.array(z.number().int()) })
    .optional(),
});
export type StepRecord = z.infer<typeof StepRecord>;

/** Why a task stopped for a person; what each means and how it is answered: `ESCALATIONS`. */
export const EscalationReason = z.enum([
  "plan_rejected",
  "plan_revisions_exhausted",
  "step_rejected",
  "review_rounds_exhausted",
  "gate_attempts_exhausted",
  "budget_reached",
  "provider_error",
  "invalid_output",
  "refusal",
  "truncated",
  "tool_limit",
  "protected_path",
  "no_changes",
  "change_too_large",
  "workspace_error",
  "base_branch_red",
  "ci_infrastructure",
  "gate_same_failure",
  "no_ci",
  "task_timeout",
  "test_weakening",
  "scope_exceeded",
  "pull_request_mismatch",
  "state_untrusted",
  "internal_error",
]);
export type EscalationReason = z.infer<typeof EscalationReason>;

export const Escalation = z.strictObject({
  /** Sequence number; a command answers one escalation and is stale for any other. */
  id: z.number().int().positive(),
  reason: EscalationReason,
  message: z.string(),
  /** The state the task was in when it stopped. */
  phase: TaskState,
  step: z.number().int().nonnegative().nullable(),
  /** The effect that could not be done, redone on approval. */
  blocked: Effect.nullable(),
  at: z.string(),
});
export type Escalation = z.infer<typeof Escalation>;

export const HistoryCategory = z.enum([
  "task",
  "routing",
  "llm_call",
  "quality_gate",
  "retry",
  "human_review",
]);
export type HistoryCategory = z.infer<typeof HistoryCategory>;

export const HistoryEntry = z.strictObject({
  at: z.string(),
  category: HistoryCategory,
  level: z.enum(["info", "success", "warning", "error"]),
  message: z.string(),
  details: z.array(z.string()).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** `one`: the status comment holds the plan and its review; `each`: each is its own comment. */
export const CommentMode = z.enum(["one", "each"]);
export type CommentMode = z.infer<typeof CommentMode>;

export const Limits = z.strictObject({
  planRevisions: z.number().int().nonnegative(),
  stepReviewRounds: z.number().int().nonnegative(),
  gateAttempts: z.number().int().nonnegative(),
  /** Dollars this task may spend on models; null for no limit. */
  budgetUsd: z.number().positive().nullable(),
  /** Hours from the start after which the task stops for a person; null for no limit. */
  taskHours: z.number().positive().nullable().optional(),
  /** Minutes to wait for CI to start on a pushed commit before asking a person. */
  gateStartMinutes: z.number().int().positive().optional(),
  /** Lines a step may change outside its planned files before a person is asked. */
  unplannedLines: z.number().int().nonnegative().optional(),
  /**
   * Which reports are comments of their own (`comments` in the config, fixed at the start). A
   * document from before it has none and is read as `one`, the config's default, which is how
   * such a task's comments were posted by a host that did not say otherwise.
   */
  comments: CommentMode.optional(),
});
export type Limits = z.infer<typeof Limits>;

export const Lease = z.strictObject({ owner: z.string(), until: z.string() });

const CurrentTaskDocument = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string(),
  /**
   * This start of the task, in every effect key: a task started again under the same id (after
   * `clean-state`) never finds the commits of an earlier start by their `Orchestrator-Key`.
   * Documents from before it have none, and keep their keys.
   */
  instance: z.string().optional(),
  /** The task as it was when it started; later edits to its source do not change it. */
  definition: TaskDefinition,
  /** A short name for the task where the host has one (an issue's title). */
  title: z.string().optional(),
  branch: z.string(),
  baseCommit: z.string().nullable(),
  headCommit: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: TaskState,
  limits: Limits,
  /** A person lifted the budget for this task. */
  budgetWaived: z.boolean(),
  /** A person let the task run past its time limit. */
  deadlineWaived: z.boolean().optional(),
  /** Why the task is done, while its pull request is read back before saying so. */
  completing: z.string().optional(),
  /** Review rounds started from reviews of the pull request. */
  reviewRounds: z.number().int().nonnegative().optional(),
  /** Reviews that came while other work was under way, answered when it is done. */
  pendingReviews: z
    .array(
      z.strictObject({
        by: z.string(),
        review: z.strictObject({
          id: z.number().int(),
          state: z.string(),
          body: z.string(),
          comments: z.array(
            z.strictObject({
              id: z.number().int(),
              path: z.string(),
              line: z.number().int().nullable(),
              body: z.string(),
            }),
          ),
        }),
      }),
    )
    .optional(),
  routing: z
    .strictObject({
      planner: RoutingDecision,
      plan_reviewer: RoutingDecision,
      implementer: RoutingDecision,
      code_reviewer: RoutingDecision,
    })
    .nullable(),
  /**
   * Step classes (`<risk>/<complexity>`) routed apart from the task: a step of such a class gets
   * this implementer and code reviewer (`routeSteps`).
   */
  stepRouting: z.record(z.string(), StepRouting).optional(),
  plan: Plan.nullable(),
  planAttempt: z.number().int().nonnegative(),
  planRevisions: z.number().int().nonnegative(),
  planReviewAttempt: z.number().int().nonnegative(),
  planReviews: z.array(PlanReview),
  steps: z.array(StepRecord),
  currentStep: z.number().int().nonnegative().nullable(),
  gate: z.strictObject({
    runs: z.number().int().nonnegative(),
    fixes: z.number().int().nonnegative(),
    results: z.array(GateResult),
    /** The commit whose failed checks were run again (once per commit). */
    rerunCommit: z.string().nullable().optional(),
    /** Why the host could not run checks again (a missing permission), when it could not. */
    rerunRefused: z.string().optional(),
    /** When the task began waiting for CI's verdict on the current run. */
    pendingSince: z.string().optional(),
  }),
  escalation: Escalation.nullable(),
  escalations: z.number().int().nonnegative(),
  statusUpdates: z.number().int().nonnegative(),
  /** Effects still to run, in order. */
  outbox: z.array(Effect),
  ledger: z.array(CallRecord),
  /** What the current plan's steps may cost, from the routed models' prices. */
  planEstimate: z.strictObject({ lowUsd: z.number(), highUsd: z.number() }).nullable().optional(),
  history: z.array(HistoryEntry),
  lease: Lease.nullable(),
  /** The outcome records of this finished task have been written. */
  recorded: z.boolean().optional(),
  /** Ledger entries already written as call records (later ends write only the new ones). */
  recordedCalls: z.number().int().nonnegative().optional(),
  /** The pull request was merged (by which commit on the base branch, when GitHub said) or closed unmerged. */
  pullRequestClosed: z
    .strictObject({
      merged: z.boolean(),
      at: z.string(),
      mergeCommit: z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .optional(),
    })
    .optional(),
  /** Of the lines the merged task added, how many were still there `SURVIVAL_DAYS` after the merge. */
  survival: z
    .strictObject({
      at: z.string(),
      lines: z.number().int().nonnegative(),
      surviving: z.number().int().nonnegative(),
    })
    .optional(),
  /** Sources (comment ids) of the commands applied, newest last, so none is applied twice. */
  commandsSeen: z.array(z.string()),
  /** The code host's reference to the task's pull request, once it exists. */
  pullRequest: z.string().nullable(),
});
export type TaskDocument = z.infer<typeof CurrentTaskDocument>;

/** A stored task document of any released version, upgraded to the current one. */
export const TaskDocument = z.preprocess(upgradeDocument, CurrentTaskDocument);

/** Brings an older stored document up to the current version, one version at a time. */
function upgradeDocument(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return raw;
  let doc = raw as Record<string, unknown>;
  if (doc["schemaVersion"] === 1)
    doc = { ...doc, schemaVersion: 2, commandsSeen: [], pullRequest: null };
  return doc;
}

/**
 * Whether a task may still have work for a worker: it has effects to run, or it is neither
 * ended nor waiting for a person. A waiting task with nothing to run is not open: a person's
 * answer (or CI's verdict, for a task waiting for its gate) is what moves it.
 */
export function isOpen(doc: TaskDocument): boolean {
  return (
    doc.outbox.length > 0 || !(TERMINAL_STATES.has(doc.state) || doc.state === "awaiting_human")
  );
}

/** Days after a merge at which the lines a task added are counted again. */
export const SURVIVAL_DAYS = 30;

/**
 * When the lines of a merged task are due to be counted again (ISO time), or null: not merged
 * (or GitHub did not say by which commit), not ended, or counted already.
 */
export function survivalDue(doc: TaskDocument): string | null {
  const closed = doc.pullRequestClosed;
  if (!closed?.merged || !closed.mergeCommit || doc.survival || !TERMINAL_STATES.has(doc.state))
    return null;
  return new Date(Date.parse(closed.at) + SURVIVAL_DAYS * 86_400_000).toISOString();
}
