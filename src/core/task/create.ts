import { taskBranch } from "./task-ref.ts";
import type { TaskDefinition } from "./definition.ts";
import { SCHEMA_VERSION, type Limits, type TaskDocument } from "./document.ts";

export interface NewTaskOptions {
  readonly definition: TaskDefinition;
  readonly limits: Limits;
  /** Branch prefix; the branch is `<prefix><id>-<slug of goal>`. */
  readonly branchPrefix: string;
  readonly at: string;
  /** This start of the task (random), part of every effect key. */
  readonly instance?: string;
  /** Text the branch slug is made from; default: the goal. */
  readonly title?: string;
}

export function createTaskDocument(options: NewTaskOptions): TaskDocument {
  const { definition, at } = options;
  return {
    schemaVersion: SCHEMA_VERSION,
    id: definition.id,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    definition,
    ...(options.title === undefined ? {} : { title: options.title }),
    branch: taskBranch(options.branchPrefix, definition.id, options.title ?? definition.goal),
    baseCommit: null,
    headCommit: null,
    createdAt: at,
    updatedAt: at,
    state: "queued",
    limits: options.limits,
    budgetWaived: false,
    routing: null,
    plan: null,
    planAttempt: 0,
    planRevisions: 0,
    planReviewAttempt: 0,
    planReviews: [],
    steps: [],
    currentStep: null,
    gate: { runs: 0, fixes: 0, results: [] },
    escalation: null,
    escalations: 0,
    statusUpdates: 0,
    outbox: [],
    ledger: [],
    history: [],
    lease: null,
    commandsSeen: [],
    pullRequest: null,
  };
}
