import { TERMINAL_STATES, type TaskDocument } from "../core/task/document.ts";
import type { HumanCommand, PullReview, TaskEvent } from "../core/task/events.ts";
import { applies, awaitingGate, waitedTooLong } from "../core/task/transition.ts";
import type { QualityGate } from "../ports/quality-gate.ts";

/** A person's command (`/approve`, `/retry …`, …) as a host read it. */
export interface CommandRequest {
  readonly command: HumanCommand;
  readonly feedback?: string;
  /** Dollars to add, for `budget`. */
  readonly amountUsd?: number;
  readonly by: string;
  /** The escalation being answered (0: none was open); the open one when omitted. */
  readonly escalation?: number;
  /** What carried the command (a comment id): a source is applied at most once. */
  readonly source?: string;
}

/**
 * Something that happened outside a task, as a host is told of it (a webhook): the engine
 * decides whether it applies to the task, and stamps it with its own clock.
 */
export type OutsideEvent =
  /** Checks finished on a commit: the gate is asked for the verdict if the task waits for it. */
  | { readonly type: "checks_done"; readonly commit: string }
  | { readonly type: "command"; readonly request: CommandRequest }
  /**
   * A host looks on its own (the sweep: a webhook may have been lost, a worker may have died):
   * a task that owes work and has no live lease is run, one waiting for finished checks gets
   * their verdict (or is told it has waited too long).
   */
  | { readonly type: "sweep" }
  | {
      readonly type: "pull_request_closed";
      readonly pull: number;
      readonly merged: boolean;
      readonly mergeCommit?: string;
    }
  | {
      readonly type: "review";
      readonly pull: number;
      readonly by: string;
      readonly source: string;
      readonly review: PullReview;
    };

/**
 * The task event an outside event (other than a command) makes, or why it does not apply to
 * the task as it is. The gate is asked only when the task waits for that commit's checks.
 */
export async function taskEventOf(
  doc: TaskDocument,
  event: Exclude<OutsideEvent, { type: "command" | "sweep" }>,
  gate: QualityGate,
  at: string,
): Promise<TaskEvent | { readonly refused: string }> {
  let made: TaskEvent;
  if (event.type === "checks_done") {
    if (awaitingGate(doc) !== event.commit)
      return { refused: `task ${doc.id} does not wait for checks on ${event.commit}` };
    const result = (await gate.status?.({ commit: event.commit }))?.result;
    if (!result) return { refused: `checks on ${event.commit} have no verdict yet` };
    made = { type: "gate_result", at, commit: event.commit, result };
  } else if (event.type === "pull_request_closed") {
    const { mergeCommit, ...rest } = event;
    made = { ...rest, at, ...(mergeCommit === undefined ? {} : { mergeCommit }) };
  } else made = { ...event, at };
  return applies(doc, made) ? made : { refused: `${event.type} does not apply to task ${doc.id}` };
}

/**
 * What the sweep does for a task whose lease is free: apply a gate event, run what the outbox
 * owes ("run"), or nothing (why).
 */
export async function sweepEventOf(
  doc: TaskDocument,
  gate: QualityGate,
  at: string,
): Promise<TaskEvent | "run" | { readonly refused: string }> {
  // A finished or waiting task can still owe effects (its last comments, the pull request).
  if (doc.outbox.length > 0) return "run";
  if (TERMINAL_STATES.has(doc.state) || doc.state === "awaiting_human")
    return { refused: `task ${doc.id} is ${doc.state} and owes nothing` };
  const commit = awaitingGate(doc);
  if (commit === null) return { refused: `task ${doc.id} has nothing to do` };
  const status = await gate.status?.({ commit });
  if (status?.result) return { type: "gate_result", at, commit, result: status.result };
  const checksStarted = status?.started ?? false;
  return waitedTooLong(doc, at, checksStarted)
    ? { type: "gate_waiting", at, commit, checksStarted }
    : { refused: `checks on ${commit} are still running` };
}
