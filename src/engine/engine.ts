import { journaledCommands } from "./agents/commands.ts";
import { LeaseHeldError, StateConflictError } from "../core/errors.ts";
import { statusComment } from "../core/report/sticky.ts";
import { routeSteps, routeTask, type RoutingContext } from "../core/routing/route.ts";
import { learningContext } from "../core/learning/routing-context.ts";
import { readRecords } from "../core/learning/records.ts";
import type { Records } from "../core/learning/analytics.ts";
import { createTaskDocument } from "../core/task/create.ts";
import type { TaskDefinition } from "../core/task/definition.ts";
import { TERMINAL_STATES, type TaskDocument } from "../core/task/document.ts";
import type { TaskEvent } from "../core/task/events.ts";
import { commandRefusal, transition } from "../core/task/transition.ts";
import { guardPorts } from "./boundary.ts";
import type { EngineDeps } from "./deps.ts";
import type { RunnerContext } from "./effects/runner-context.ts";
import { Leases } from "./leases.ts";
import {
  sweepEventOf,
  taskEventOf,
  type CommandRequest,
  type OutsideEvent,
} from "./outside-event.ts";
import { createModelCaller } from "./calls/model-caller.ts";
import { createTraffic } from "./calls/traffic.ts";
import { drainOutbox } from "./outbox.ts";
import { TaskRepository, type Working } from "./task-repository.ts";
import { createInstruments, inSpan } from "./telemetry.ts";

const MAX_ACQUIRE_ATTEMPTS = 8;

export type CommandResult =
  | { readonly applied: true; readonly document: TaskDocument }
  | { readonly applied: false; readonly reason: string; readonly duplicate?: true };

/** What waking a task did: the event applied (and the task ran here, or runs elsewhere), or why not. */
export type WakeResult =
  | {
      readonly applied: true;
      readonly document: TaskDocument;
      /** False when another worker holds the task's lease: it runs the task. */
      readonly ranHere: boolean;
    }
  | { readonly applied: false; readonly reason: string; readonly duplicate?: true };

export interface RunOptions {
  /** An event to apply (if it still applies) before running. */
  readonly after?: TaskEvent;
}

/** The one engine every host drives: it starts tasks, runs their outboxes and applies commands. */
export interface Engine {
  /** Creates and starts a task; an existing task with this id is returned as it is. */
  start(definition: TaskDefinition, options?: { readonly title?: string }): Promise<TaskDocument>;
  /**
   * Runs a task until it is done, failed, cancelled or waits for a person. With `after`, an
   * event from outside (a CI verdict) is applied first, in the save that takes the lease.
   */
  run(task: string, options?: RunOptions): Promise<TaskDocument>;
  /** Runs several tasks, at most `concurrency` at once, under one `orchestrator.run` span. */
  runMany(
    tasks: readonly string[],
    concurrency: number,
  ): Promise<Map<string, TaskDocument | Error>>;
  /** Applies a person's answer to the open escalation. Does not run the task. */
  command(task: string, request: CommandRequest): Promise<CommandResult>;
  /**
   * Something happened outside (checks finished, a review, a closed pull request, a command):
   * applies it if it applies to the task as it is now, then runs the task until it ends or
   * waits. The one verb a host calls for an outside event; it loads the task once.
   */
  wake(task: string, event: OutsideEvent): Promise<WakeResult>;
  /**
   * Posts the task's status as it stands (a person asked with `/status`), through the boundary
   * like the engine's own status updates. Returns the task, or null when there is none.
   */
  showStatus(task: string): Promise<TaskDocument | null>;
}

export function createEngine(deps: EngineDeps): Engine {
  // Everything the engine posts, stores, logs or sends to a model crosses these boundaries.
  const ports = guardPorts(deps, deps.boundary);
  const instruments = createInstruments(ports.meter);
  const leases = new Leases(deps.settings, deps.clock);
  const repo = new TaskRepository({ store: ports.store, leases, logger: ports.logger });
  const agents = new Map((deps.agents?.clients ?? []).map((a) => [a.provider, ports.agent(a)]));
  let records: Promise<Records> | null = null;
  const readRecordFiles = (): Promise<Records> =>
    ports.store.recordFiles
      ? ports.store.recordFiles().then((files) => readRecords(files))
      : Promise.resolve({ tasks: [], calls: [] });
  const ctx: RunnerContext = {
    workspace: ports.workspace,
    gate: deps.gate,
    tracker: ports.tracker,
    codeHost: ports.codeHost,
    prompts: deps.prompts,
    // Read at most once per engine (one delivery on GitHub, one run locally), or again when a
    // learning strategy routes a new task: prompts need what earlier tasks taught.
    records: () => (records ??= readRecordFiles()),
    caller: createModelCaller({
      store: ports.store,
      models: (ref) => {
        const { client, model } = deps.models(ref);
        return { client: ports.model(client), model };
      },
      agents,
      registry: deps.registry,
      traffic: deps.traffic ?? createTraffic({ now: () => deps.clock.now() }),
      dayLimits: deps.dayLimits ?? [],
      clock: deps.clock,
      logger: ports.logger,
      tracer: ports.tracer,
      instruments,
      retry: deps.settings.retry,
      sleep: deps.sleep,
      random: deps.random,
    }),
    clock: deps.clock,
    logger: ports.logger,
    tracer: ports.tracer,
    instruments,
    settings: deps.settings,
    registry: deps.registry,
    ...(deps.sandbox
      ? { commands: journaledCommands({ ...deps.sandbox, store: ports.store }) }
      : {}),
    agents: {
      providers: new Set(agents.keys()),
      directoryOf:
        deps.agents?.directoryOf ??
        (() => {
          throw new Error("this host runs no coding agents");
        }),
    },
  };
  const iso = (): string => new Date(deps.clock.now()).toISOString();

  /** The records' evidence for routing, read only when a learning strategy is configured. */
  async function learningFor(
    definition: TaskDefinition,
  ): Promise<{ learning?: NonNullable<RoutingContext["learning"]> }> {
    const config = deps.settings.routing;
    if (config.strategy === "baseline" || !ports.store.recordFiles) return {};
    // Read fresh, so routing learns from the tasks this engine ran before; the prompts of the
    // task about to start use the same read.
    records = readRecordFiles();
    const known = await records;
    const pooled = deps.installationRecords ? await deps.installationRecords() : null;
    const window = {
      now: iso(),
      days: config.learning.window_days,
      halfLifeDays: config.learning.half_life_days,
    };
    return {
      learning: learningContext({
        records: known,
        installation: pooled,
        window,
        definition,
        random: deps.random,
        registry: deps.registry,
      }),
    };
  }

  async function start(
    definition: TaskDefinition,
    options: { readonly title?: string } = {},
  ): Promise<TaskDocument> {
    const existing = await repo.load(definition.id);
    if (existing) return existing.document;
    const context: RoutingContext = {
      providers: deps.providers,
      registry: deps.registry,
      ...(await learningFor(definition)),
    };
    const routing = routeTask(deps.settings.routing, definition, context);
    const stepRouting = routeSteps(deps.settings.routing, definition, context, routing);
    const fresh = createTaskDocument({
      definition,
      limits: deps.settings.limits,
      branchPrefix: deps.settings.branchPrefix,
      at: iso(),
      instance: instanceId(deps.random),
      ...(options.title === undefined ? {} : { title: options.title }),
    });
    const branch = await unusedBranch(fresh.branch, (b) => ports.workspace.branchExists(b));
    const baseCommit = await ports.workspace.baseCommit();
    const { state } = transition(
      { ...fresh, branch },
      { type: "start", at: iso(), routing, stepRouting, baseCommit },
    );
    // The task is run right after it is created, so its first save already takes the lease.
    const created = await repo.create(leases.hold(state));
    ports.logger.info({ task: definition.id, branch: created.document.branch }, "task created");
    return created.document;
  }

  /** Takes the task's lease through compare-and-swap; losing the race means someone else runs it. */
  async function acquire(task: string): Promise<Working> {
    for (let attempt = 0; ; attempt++) {
      const stored = await repo.load(task);
      if (!stored) throw new Error(`no task ${task}`);
      leases.assertFree(stored.document);
      if (stored.document.outbox.length === 0 || leases.isFresh(stored.document)) return stored;
      try {
        return await repo.save(leases.hold(stored.document), stored.version);
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= MAX_ACQUIRE_ATTEMPTS) throw error;
      }
    }
  }

  async function run(task: string, options: RunOptions = {}): Promise<TaskDocument> {
    const { after } = options;
    return drive(task, () => (after ? applyThenAcquire(task, after) : acquire(task)));
  }

  /** Runs the task's outbox from the copy `take` returns (with our lease on it). */
  async function drive(task: string, take: () => Promise<Working>): Promise<TaskDocument> {
    return inSpan(ports.tracer, "task.run", { "task.id": task }, async (span) => {
      const acquired = await take();
      const startState = acquired.document.state;
      const unhold = deps.stop?.hold(() => releaseLease(task));
      const doc = await drainOutbox(ctx, repo, leases, acquired, () => deps.stop?.stopping === true)
        .then((done) => done.document)
        .finally(() => unhold?.());
      span.setAttribute("task.state", doc.state);
      const stopped = TERMINAL_STATES.has(doc.state) || doc.state === "awaiting_human";
      if (doc.state !== startState && stopped) {
        instruments.tasks.add(1, { state: doc.state });
        if (TERMINAL_STATES.has(doc.state))
          instruments.taskDuration.record(
            (Date.parse(doc.updatedAt) - Date.parse(doc.createdAt)) / 1000,
            { state: doc.state },
          );
      }
      ports.logger.info({ task, state: doc.state }, "task run ended");
      return doc;
    });
  }

  /** Gives the task's lease back if we hold it (the process stops while the task runs). */
  async function releaseLease(task: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stored = await repo.load(task);
      if (!stored || stored.document.lease?.owner !== leases.owner) return;
      try {
        await repo.save(leases.release(stored.document), stored.version);
        ports.logger.info({ task }, "lease given back: the process stops");
        return;
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= MAX_ACQUIRE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Applies an event from outside and takes the lease in the same save when it is free; the
   * saved copy is then run as it is, without loading it again.
   */
  async function applyThenAcquire(task: string, event: TaskEvent): Promise<Working> {
    const stored = await repo.load(task);
    if (!stored) throw new Error(`no task ${task}`);
    const saved = await repo.applyAndTakeIfFree(stored, event);
    leases.assertFree(saved.document);
    return saved;
  }

  async function runMany(
    tasks: readonly string[],
    concurrency: number,
  ): Promise<Map<string, TaskDocument | Error>> {
    return inSpan(
      ports.tracer,
      "orchestrator.run",
      { "orchestrator.tasks": tasks.length },
      async () => {
        const results = new Map<string, TaskDocument | Error>();
        const queue = [...tasks];
        const worker = async (): Promise<void> => {
          for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
            try {
              results.set(task, await run(task));
            } catch (error) {
              ports.logger.error({ task, err: error }, "task run failed");
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

  async function command(task: string, request: CommandRequest): Promise<CommandResult> {
    const stored = await repo.load(task);
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
    const saved = await repo.applyLeavingLease(stored, event);
    return { applied: true, document: saved.document };
  }

  async function wake(task: string, event: OutsideEvent): Promise<WakeResult> {
    if (event.type === "command") {
      const applied = await command(task, event.request);
      if (!applied.applied) return applied;
      return runWoken(
        task,
        () => applied.document,
        () => acquire(task),
      );
    }
    const stored = await repo.load(task);
    if (!stored) return { applied: false, reason: `no task ${task}` };
    if (event.type === "sweep" && !leases.isFree(stored.document))
      return { applied: false, reason: `task ${task} is run by another worker` };
    const made =
      event.type === "sweep"
        ? await sweepEventOf(stored.document, deps.gate, iso())
        : await taskEventOf(stored.document, event, deps.gate, iso());
    if (made === "run")
      return runWoken(
        task,
        () => stored.document,
        () => acquire(task),
      );
    if ("refused" in made) return { applied: false, reason: made.refused };
    let saved = stored.document;
    return runWoken(
      task,
      () => saved,
      async () => {
        const applied = await repo.applyAndTakeIfFree(stored, made);
        saved = applied.document;
        leases.assertFree(saved);
        return applied;
      },
    );
  }

  /** Runs a task an event was applied to; another worker's lease means that worker runs it. */
  async function runWoken(
    task: string,
    applied: () => TaskDocument,
    take: () => Promise<Working>,
  ): Promise<WakeResult> {
    try {
      return { applied: true, document: await drive(task, take), ranHere: true };
    } catch (error) {
      if (!(error instanceof LeaseHeldError)) throw error;
      ports.logger.info({ task }, "task is run by another worker");
      return { applied: true, document: applied(), ranHere: false };
    }
  }

  async function showStatus(task: string): Promise<TaskDocument | null> {
    const stored = await repo.load(task);
    if (!stored) return null;
    const doc = stored.document;
    await ports.tracker.updateStatus({
      task,
      body: statusComment(doc),
      state: doc.state,
    });
    return doc;
  }

  return { start, run, runMany, command, wake, showStatus };
}

/**
 * The branch itself, or `<branch>-2`, `-3`… when it is taken: a task started again under its id
 * (after `clean-state`, or with its state lost) starts afresh from the base commit and leaves the
 * earlier start's branch as it was.
 */
async function unusedBranch(
  branch: string,
  exists: (branch: string) => Promise<boolean>,
): Promise<string> {
  if (!(await exists(branch))) return branch;
  for (let n = 2; ; n++) if (!(await exists(`${branch}-${n}`))) return `${branch}-${n}`;
}

/** Six base-36 characters: enough that two starts of one task id do not share their keys. */
function instanceId(random: () => number): string {
  return Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0");
}
