import { context, type Context } from "@opentelemetry/api";
import { LeaseHeldError, StateConflictError } from "../core/errors.ts";
import { outcomeRecords, recordsPath } from "../core/report/records.ts";
import { taskRunLog } from "../core/report/run-log.ts";
import { redactDeep } from "../core/text/redact.ts";
import { routeTask } from "../core/routing/route.ts";
import { createTaskDocument } from "../core/task/create.ts";
import type { TaskDefinition } from "../core/task/definition.ts";
import { TERMINAL_STATES, type TaskDocument } from "../core/task/document.ts";
import type { HumanCommand, TaskEvent } from "../core/task/events.ts";
import { commandRefusal, transition } from "../core/task/transition.ts";
import type { Stored } from "../ports/state-store.ts";
import type { EngineDeps } from "./deps.ts";
import { runEffect } from "./effects/run-effect.ts";
import { createInstruments, inSpan } from "./telemetry.ts";

const MAX_CONFLICT_RETRIES = 8;

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

export type CommandResult =
  | { readonly applied: true; readonly document: TaskDocument }
  | { readonly applied: false; readonly reason: string; readonly duplicate?: true };

export type Engine = ReturnType<typeof createEngine>;

/** A loaded document, and whether it holds changes not saved yet. */
interface Working extends Stored {
  readonly dirty: boolean;
}

/** Effects that are looked up by key before being redone, so their results need no save of their own. */
const REDOABLE = new Set(["post_comment", "update_status", "sync_pull_request", "report_check"]);

/** The one engine both hosts drive: it starts tasks, runs their outboxes and applies commands. */
export function createEngine(deps: EngineDeps) {
  const instruments = createInstruments(deps.meter);
  const iso = (): string => new Date(deps.clock.now()).toISOString();
  const secrets = deps.settings.secrets;
  /** Every save goes through here: no state file ever holds a secret. */
  /**
   * Every save goes through here: no state file ever holds a secret, the run log is rendered
   * from the document, and a task that has just ended adds its outcome records in the same write.
   */
  async function save(document: TaskDocument, expectedVersion: string | null): Promise<Working> {
    const ending = TERMINAL_STATES.has(document.state) && document.recorded !== true;
    const doc = redactDeep(ending ? { ...document, recorded: true } : document, secrets);
    const version = await deps.store.save({
      document: doc,
      expectedVersion,
      runLog: taskRunLog(doc),
      ...(ending ? { records: { path: recordsPath(doc), lines: outcomeRecords(doc) } } : {}),
    });
    return { document: ending ? { ...document, recorded: true } : document, version, dirty: false };
  }

  /** Creates and starts a task; an existing task with this id is returned as it is. */
  async function start(
    definition: TaskDefinition,
    options: { readonly title?: string } = {},
  ): Promise<TaskDocument> {
    const existing = await deps.store.load(definition.id);
    if (existing) return existing.document;
    const routing = routeTask(deps.settings.routing, definition, {
      providers: deps.providers,
      priced: new Set(Object.keys(deps.prices.models)),
    });
    const baseCommit = await deps.workspace.baseCommit();
    const fresh = createTaskDocument({
      definition,
      limits: deps.settings.limits,
      branchPrefix: deps.settings.branchPrefix,
      at: iso(),
      ...(options.title === undefined ? {} : { title: options.title }),
    });
    const { state } = transition(fresh, { type: "start", at: iso(), routing, baseCommit });
    try {
      // The task is run right after it is created, so its first save already takes the lease.
      const held = withLease(state, "hold");
      await save(held, null);
      deps.logger.info({ task: definition.id, branch: state.branch }, "task created");
      return held;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      const winner = await deps.store.load(definition.id);
      if (!winner) throw error;
      return winner.document;
    }
  }

  /**
   * Applies an event and saves the result with compare-and-swap. On a lost race the latest
   * document is loaded and the event applied to it again (a no-op if the other writer already
   * applied it). With `persist: false` the change stays in memory until the next save: only for
   * results of effects that are found again by their key after a crash.
   */
  async function apply(
    task: string,
    stored: Working,
    event: TaskEvent,
    lease: "hold" | "release" | "keep",
    persist = true,
    onReload: (doc: TaskDocument) => void = () => undefined,
  ): Promise<Working> {
    let current = stored;
    for (let attempt = 0; ; attempt++) {
      const next = transition(current.document, event).state;
      // The save that empties the outbox also gives the lease back.
      const document = withLease(
        next,
        lease === "hold" && next.outbox.length === 0 ? "release" : lease,
      );
      if (!persist)
        return { ...current, document, dirty: current.dirty || document !== current.document };
      if (document === current.document && !current.dirty) return current;
      try {
        return await save(document, current.version);
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        deps.logger.warn({ task, attempt }, "state save lost a race, reloading");
        const reloaded = await deps.store.load(task);
        if (!reloaded) throw error;
        if (lease === "hold") assertLeaseFree(reloaded.document);
        onReload(reloaded.document);
        current = { ...reloaded, dirty: false };
      }
    }
  }

  function withLease(doc: TaskDocument, lease: "hold" | "release" | "keep"): TaskDocument {
    if (lease === "keep") return doc;
    const next =
      lease === "hold"
        ? {
            owner: deps.settings.owner,
            until: new Date(deps.clock.now() + deps.settings.leaseMs).toISOString(),
          }
        : null;
    if (doc.lease?.owner === next?.owner && (next === null || doc.lease?.until === next.until))
      return doc;
    return { ...doc, lease: next };
  }

  /** Ours, with at least half its time left: no need to renew before working. */
  function holdsFreshLease(doc: TaskDocument): boolean {
    return (
      doc.lease?.owner === deps.settings.owner &&
      Date.parse(doc.lease.until) - deps.clock.now() > deps.settings.leaseMs / 2
    );
  }

  function assertLeaseFree(doc: TaskDocument): void {
    const lease = doc.lease;
    if (
      lease &&
      lease.owner !== deps.settings.owner &&
      Date.parse(lease.until) > deps.clock.now() &&
      deps.settings.ownerAlive(lease.owner)
    ) {
      throw new LeaseHeldError(doc.id, lease.owner, lease.until);
    }
  }

  /** Takes the task's lease through compare-and-swap; losing the race means someone else runs it. */
  async function acquire(task: string): Promise<Working> {
    for (let attempt = 0; ; attempt++) {
      const stored = await deps.store.load(task);
      if (!stored) throw new Error(`no task ${task}`);
      assertLeaseFree(stored.document);
      if (stored.document.outbox.length === 0 || holdsFreshLease(stored.document))
        return { ...stored, dirty: false };
      const document = withLease(stored.document, "hold");
      try {
        return await save(document, stored.version);
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** Runs a task's outbox until it is empty: the task is done, failed, cancelled or waits for a human. */
  async function run(task: string, parent: Context = context.active()): Promise<TaskDocument> {
    return inSpan(deps.tracer, "task.run", parent, { "task.id": task }, async (ctx, span) => {
      let stored = await acquire(task);
      const startState = stored.document.state;
      // An effect is surely untried only if a save of this run created it. Effects loaded from
      // storage, or created by a transition whose save was deferred, may have been tried by a
      // run that died (a deferred transition is made again, with the same keys, after a crash).
      const attempted = new Set(stored.document.outbox.map((e) => e.key));
      while (stored.document.outbox[0]) {
        const effect = stored.document.outbox[0];
        const outcome = await runEffect(
          deps,
          instruments,
          ctx,
          stored.document,
          effect,
          !attempted.has(effect.key),
        );
        // A commit carrying the effect's key and its calls' note is found again after a crash.
        const recoverable = REDOABLE.has(effect.kind) || outcome.kind === "implemented";
        const before = new Set(stored.document.outbox.map((e) => e.key));
        stored = await apply(
          task,
          stored,
          { type: "effect_result", at: iso(), key: effect.key, outcome },
          "hold",
          !recoverable,
          (doc) => {
            for (const e of doc.outbox) attempted.add(e.key);
          },
        );
        if (stored.dirty)
          for (const e of stored.document.outbox) if (!before.has(e.key)) attempted.add(e.key);
      }
      if (stored.dirty || stored.document.lease?.owner === deps.settings.owner) {
        const document = withLease(stored.document, "release");
        stored = await save(document, stored.version);
      }
      const doc = stored.document;
      span.setAttribute("task.state", doc.state);
      if (
        doc.state !== startState &&
        (TERMINAL_STATES.has(doc.state) || doc.state === "awaiting_human")
      ) {
        instruments.tasks.add(1, { state: doc.state });
        if (TERMINAL_STATES.has(doc.state))
          instruments.taskDuration.record(
            (Date.parse(doc.updatedAt) - Date.parse(doc.createdAt)) / 1000,
            { state: doc.state },
          );
      }
      deps.logger.info({ task, state: doc.state }, "task run ended");
      return doc;
    });
  }

  /** Runs several tasks, at most `concurrency` at once, under one `orchestrator.run` span. */
  async function runMany(
    tasks: readonly string[],
    concurrency: number,
  ): Promise<Map<string, TaskDocument | Error>> {
    return inSpan(
      deps.tracer,
      "orchestrator.run",
      context.active(),
      { "orchestrator.tasks": tasks.length },
      async (ctx) => {
        const results = new Map<string, TaskDocument | Error>();
        const queue = [...tasks];
        const worker = async (): Promise<void> => {
          for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
            try {
              results.set(task, await run(task, ctx));
            } catch (error) {
              deps.logger.error({ task, err: error }, "task run failed");
              results.set(task, error instanceof Error ? error : new Error(String(error)));
            }
          }
        };
        await Promise.all(
          Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker),
        );
        return results;
      },
    );
  }

  /** Applies a person's answer to the open escalation. Does not run the task. */
  async function command(task: string, request: CommandRequest): Promise<CommandResult> {
    const stored = await deps.store.load(task);
    if (!stored) return { applied: false, reason: `no task ${task}` };
    if (request.source !== undefined && stored.document.commandsSeen.includes(request.source))
      return { applied: false, reason: "already applied", duplicate: true };
    const escalation = request.escalation ?? stored.document.escalation?.id ?? 0;
    const refusal = commandRefusal(stored.document, request.command, escalation);
    if (refusal) return { applied: false, reason: refusal };
    const event: TaskEvent = {
      type: "command",
      at: iso(),
      command: request.command,
      by: request.by,
      escalation,
      ...(request.feedback ? { feedback: request.feedback } : {}),
      ...(request.amountUsd === undefined ? {} : { amountUsd: request.amountUsd }),
      ...(request.source === undefined ? {} : { source: request.source }),
    };
    const saved = await apply(task, { ...stored, dirty: false }, event, "keep");
    return { applied: true, document: saved.document };
  }

  /**
   * Applies an event from outside (a gate result) to a task, if it still applies. Returns the
   * document; the caller runs the task afterwards.
   */
  async function deliver(task: string, event: TaskEvent): Promise<TaskDocument | null> {
    const stored = await deps.store.load(task);
    if (!stored) return null;
    // The caller runs the task next: take the lease in the same save when it is free.
    const free =
      !stored.document.lease ||
      stored.document.lease.owner === deps.settings.owner ||
      Date.parse(stored.document.lease.until) <= deps.clock.now();
    return (await apply(task, { ...stored, dirty: false }, event, free ? "hold" : "keep")).document;
  }

  return { start, run, runMany, command, deliver };
}
