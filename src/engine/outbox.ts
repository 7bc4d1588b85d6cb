import { TERMINAL_STATES, type TaskDocument } from "../core/task/document.ts";
import { isFoundAgain, type Effect } from "../core/task/effects.ts";
import type { EffectOutcome } from "../core/task/events.ts";
import { runsUntrusted, trustProblems } from "../core/task/trust.ts";
import { unexpectedOutcome } from "./effects/failures.ts";
import { runEffect } from "./effects/run-effect.ts";
import type { RunnerContext } from "./effects/runner-context.ts";
import type { Leases } from "./leases.ts";
import type { TaskRepository, Working } from "./task-repository.ts";

/**
 * Runs a task's outbox until it is empty: the head effect runs, its result goes through the
 * state machine with the head's key, and the document is saved (or, for a result that is found
 * again after a crash, kept in memory for the next save). The last save gives the lease back,
 * also when `stopping` ends the run with effects left (the process stops: another worker goes on).
 */
export async function drainOutbox(
  ctx: RunnerContext,
  repo: TaskRepository,
  leases: Leases,
  working: Working,
  stopping: () => boolean = () => false,
): Promise<Working> {
  let stored = working;
  // An effect is surely untried only if a save of this run created it. Effects loaded from
  // storage, or created by a transition whose save was deferred, may have been tried by a run
  // that died (a deferred transition is made again, with the same keys, after a crash).
  const attempted = new Set(stored.document.outbox.map((e) => e.key));
  const remember = (doc: TaskDocument): void => {
    for (const e of doc.outbox) attempted.add(e.key);
  };
  while (stored.document.outbox[0] && !stopping()) {
    const effect = stored.document.outbox[0];
    // The stored document may have been edited by anyone who can write its branch or folder:
    // an effect that writes where it says runs only if it says what the App would have.
    const problems = runsUntrusted(effect)
      ? []
      : trustProblems(stored.document, { branchPrefix: ctx.settings.branchPrefix });
    const outcome =
      problems.length > 0
        ? untrusted(problems)
        : await outcomeOf(ctx, stored.document, effect, !attempted.has(effect.key));
    const event = {
      type: "effect_result" as const,
      at: new Date(ctx.clock.now()).toISOString(),
      key: effect.key,
      outcome,
    };
    if (isFoundAgain(effect, outcome)) {
      const before = new Set(stored.document.outbox.map((e) => e.key));
      stored = repo.applyInMemory(stored, event);
      // The effects a deferred result creates may have run before a crash, when the same result
      // was found again; except after a commit made in this run: nothing can have followed it.
      if (!(outcome.kind === "implemented" && outcome.foundAgain !== true))
        for (const e of stored.document.outbox) if (!before.has(e.key)) attempted.add(e.key);
    } else {
      stored = await repo.applyWhileRunning(stored, event, remember);
    }
  }
  return stored.dirty || stored.document.lease?.owner === leases.owner
    ? repo.save(leases.release(stored.document), stored.version)
    : stored;
}

/**
 * The effect's outcome, also when it throws (`unexpectedOutcome`: an escalation, or thrown on
 * for a retry). Once the task is stopped for a person or ended, its own comment or status that
 * fails is thrown on: escalating again would ask to post another comment, and so on.
 */
async function outcomeOf(
  ctx: RunnerContext,
  doc: TaskDocument,
  effect: Effect,
  firstAttempt: boolean,
): Promise<EffectOutcome> {
  try {
    return await runEffect(ctx, doc, effect, firstAttempt);
  } catch (error) {
    const speaks = effect.kind === "post_comment" || effect.kind === "update_status";
    if (speaks && (doc.state === "awaiting_human" || TERMINAL_STATES.has(doc.state))) throw error;
    return unexpectedOutcome(error, []);
  }
}

function untrusted(problems: readonly string[]): EffectOutcome {
  return {
    kind: "failed",
    reason: "state_untrusted",
    message: `The task's stored document was changed outside the App, so nothing was written:\n${problems.map((p) => `- ${p}`).join("\n")}`,
    calls: [],
  };
}
