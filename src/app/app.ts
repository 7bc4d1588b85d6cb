import { createTraffic } from "../engine/calls/traffic.ts";
import type { StateBranchStore } from "../adapters/github/state/state-branch-store.ts";
import type { ApplicationFunction, Probot } from "probot";
import { EVENT_NAMES, eventWork, UNSUBSCRIBED_EVENT_NAMES } from "./events.ts";
import type { AppOptions, PooledRecords } from "./options.ts";
import { sweep, type SweepTurns } from "./sweep.ts";
import { guardLogger } from "../engine/boundary.ts";
import { guardTracer } from "../engine/guard-telemetry.ts";
import { inSpan } from "../engine/telemetry.ts";
import { WorkQueue } from "./work-queue.ts";
import { RunStop } from "../engine/run-stop.ts";
import { setTimeout as wait } from "node:timers/promises";
import type { GitHub } from "../adapters/github/api/client.ts";
import { appSlug, botAuthor, type CommitAuthor } from "../adapters/github/api/app-identity.ts";
import { useGitHubErrors } from "../adapters/github/api/errors.ts";
import {
  ConditionalCache,
  useConditionalRequests,
} from "../adapters/github/api/conditional-requests.ts";

export interface OrchestratorApp {
  /** The options the app runs with, completed by `createApp`. */
  readonly options: AppOptions;
  /** The Probot application function. */
  readonly appFn: ApplicationFunction;
  /** Webhook work runs here, after the webhook is acknowledged. */
  readonly queue: WorkQueue;
  /** Runs the sweep once (the app also runs it at start-up and on its timer). */
  sweep(): Promise<number>;
  /**
   * Stops taking work (SIGTERM): runs end at their next effect and give their leases back;
   * after `deadlineMs` (wall time) the leases of runs still inside an effect are given back too.
   * The process should end when it resolves.
   */
  shutdown(deadlineMs: number): Promise<{ readonly drained: boolean; readonly released: number }>;
}

/** An app's options with what `createApp` fills in, and how it wraps each GitHub client. */
export interface AppRuntime {
  readonly options: AppOptions;
  /** The client an event's work uses: its repeated reads conditional, its errors ours. */
  readonly client: (github: GitHub, installation: number) => GitHub;
}

/** What every host of the app (the Probot server, the Action) runs its handlers with. */
export function appRuntime(given: AppOptions): AppRuntime {
  const cache = given.conditional ?? new ConditionalCache();
  return {
    options: {
      ...given,
      // The app's own log lines (handlers, queue, sweep) are redacted like the engine's.
      logger: guardLogger(given.logger, given.secrets),
      // So are its spans (the event's, the sweep's), which record the errors handlers throw.
      tracer: guardTracer(given.tracer, given.secrets),
      stateStores: given.stateStores ?? new Map<string, StateBranchStore>(),
      conditional: cache,
      installationRecords: given.installationRecords ?? (new Map() as PooledRecords),
      traffic: given.traffic ?? createTraffic({ now: () => given.clock.now() }),
      stop: given.stop ?? new RunStop(),
    },
    client: (github, installation) =>
      useGitHubErrors(useConditionalRequests(github, cache, installation)),
  };
}

/** Handlers only turn webhooks into queued engine work; no decision is made here. */
export function createApp(given: AppOptions): OrchestratorApp {
  let probot: Probot | null = null;
  const { options, client } = appRuntime({
    ...given,
    commitAuthor: given.commitAuthor ?? commitAuthorOf(() => probot),
  });
  const queue = new WorkQueue({ limits: options.queue, logger: options.logger });
  const turns: SweepTurns = new Map();
  const stop = options.stop ?? new RunStop();
  const runSweep = async (): Promise<number> => {
    const current = probot;
    if (!current || stop.stopping) return 0;
    return inSpan(options.tracer, "sweep", { "orchestrator.owner": options.owner }, () =>
      sweep(options, async (id) => client(await probotAuth(current, id), id ?? 0), turns),
    );
  };

  const appFn: ApplicationFunction = (app) => {
    probot = app;
    app.on([...EVENT_NAMES], (context) => {
      const payload = context.payload as { action?: string };
      const work = eventWork(`${context.name}.${payload.action ?? ""}`, payload);
      if (work)
        queue.enqueue(work.installation, context.id, () =>
          work.run(options, client(context.octokit, work.installation)),
        );
    });
    app.on([...UNSUBSCRIBED_EVENT_NAMES], (context) => {
      options.logger.info({ installation: context.payload.installation.id }, "installed");
    });
    queue.enqueue(0, `sweep:start:${options.owner}`, async () => {
      await runSweep();
    });
    if (options.sweepIntervalMs > 0) {
      const every = options.sweepIntervalMs;
      let passes = 0;
      const sweepNow = (): void => {
        queue.enqueue(0, `sweep:${options.owner}:${String(++passes)}`, async () => {
          await runSweep();
        });
      };
      // Replicas started together would sweep together: each starts its timer at a random
      // point of the interval, so a dead replica's task waits interval / replicas on average.
      setTimeout(
        () => {
          sweepNow();
          setInterval(sweepNow, every).unref();
        },
        Math.floor(options.random() * every),
      ).unref();
    }
  };

  const shutdown = async (deadlineMs: number) => {
    stop.stop();
    const deadline = new AbortController();
    const drained = await Promise.race([
      queue.idle().then(() => true),
      wait(deadlineMs, false, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    const released = drained ? 0 : await stop.releaseHeld();
    options.logger.info({ drained, released }, "stopped taking work");
    return { drained, released };
  };

  return { options, appFn, queue, sweep: runSweep, shutdown };
}

/** The App's bot user as commit author, looked up once per process (again after a failure). */
function commitAuthorOf(probot: () => Probot | null): (github: GitHub) => Promise<CommitAuthor> {
  let author: Promise<CommitAuthor> | null = null;
  return (github) => {
    const current = probot();
    if (!current) return Promise.reject(new Error("the App is not loaded yet"));
    author ??= (async () => botAuthor(github, await appSlug(await current.auth())))();
    author.catch(() => {
      author = null;
    });
    return author;
  };
}

/** The app's client (no id) or an installation's, from Probot. */
async function probotAuth(probot: Probot, installation: number | undefined): Promise<GitHub> {
  return installation === undefined ? probot.auth() : probot.auth(installation);
}
