import { DEFAULT_LIMITS, type Sandbox } from "../ports/sandbox.ts";
import type { CodingAgent } from "../ports/coding-agent.ts";
import { withAgents } from "../core/models/agents.ts";
import type { ModelTraffic } from "../engine/calls/traffic.ts";
import { spentOnDay } from "../engine/calls/day-seed.ts";
import { engineSettings } from "../config/engine-settings.ts";
import { metrics, trace, type Meter, type Tracer } from "@opentelemetry/api";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pino } from "pino";
import { CommandGate } from "../adapters/local/command-gate.ts";
import { FileStateStore } from "../adapters/local/file-state-store.ts";
import { FileTracker } from "../adapters/local/file-tracker.ts";
import { FileCodeHost } from "../adapters/local/file-code-host.ts";
import { ownerAlive, processOwner } from "../adapters/local/process-owner.ts";
import { loadPrompts, PROMPTS_DIR } from "../adapters/local/prompt-files.ts";
import { LocalWorkspace } from "../adapters/local/worktree-workspace.ts";
import { worktreesOf } from "../adapters/local/worktree-home.ts";
import { parseRepoConfig } from "../config/parse.ts";
import { scriptsRunBy } from "../core/policy/paths.ts";
import { modelRegistry } from "../config/models.ts";
import { RepoConfig } from "../config/schema.ts";
import type { EngineDeps } from "../engine/deps.ts";
import { createEngine, type Engine } from "../engine/engine.ts";
import type { Clock } from "../ports/clock.ts";
import type { LanguageModel } from "../ports/language-model.ts";
import type { Logger } from "../ports/logger.ts";
import { createResolver } from "../providers/registry.ts";

export interface LocalHostOptions {
  readonly workingDir: string;
  readonly clients: readonly LanguageModel[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly tracer?: Tracer;
  readonly meter?: Meter;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly owner?: string;
  readonly onStatus?: (task: string, body: string) => void;
  /** Replaces `.orchestrator/config.yaml`. */
  readonly config?: RepoConfig;
  readonly secrets?: readonly string[];
  /** What this repository's tasks may spend per UTC day, counted from its stored ledgers. */
  readonly dayBudgetUsd?: number;
  /** Coding-agent CLIs the implementer and fixer may be routed to (`ORCHESTRATOR_AGENTS`). */
  readonly agents?: readonly CodingAgent[];
  /** Circuits, token buckets and day spend, when several hosts share them. */
  readonly traffic?: ModelTraffic;
  /** Where the `run` and `check` tools run commands (`ORCHESTRATOR_SANDBOX`); none: no tools. */
  readonly sandbox?: Sandbox;
}

export interface LocalHost {
  readonly engine: Engine;
  readonly deps: EngineDeps;
  readonly store: FileStateStore;
  readonly workspace: LocalWorkspace;
  readonly config: RepoConfig;
  /** `<working dir>/.orchestrator`. */
  readonly directory: string;
}

/** Reads `.orchestrator/config.yaml` of a repository, or the defaults when there is none. */
export async function loadRepoConfig(workingDir: string): Promise<RepoConfig> {
  const file = join(workingDir, ".orchestrator", "config.yaml");
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
  return text === null ? RepoConfig.parse({}) : parseRepoConfig(text, file);
}

/** Everything the engine needs to run tasks on a local repository. */
export async function createLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const directory = join(options.workingDir, ".orchestrator");
  const config = options.config ?? (await loadRepoConfig(options.workingDir));
  const clock = options.clock ?? { now: () => Date.now() };
  const store = new FileStateStore({ directory });
  const workspace = new LocalWorkspace({
    repository: options.workingDir,
    worktrees: await worktreesOf(options.workingDir),
    author: { name: "orchestrator", email: "orchestrator@localhost" },
  });
  const { resolve, providers } = createResolver(options.clients);
  const agents = options.agents ?? [];
  const deps: EngineDeps = {
    store,
    codeHost: new FileCodeHost({ directory }),
    tracker: new FileTracker({
      directory,
      ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    }),
    workspace,
    gate: new CommandGate({
      commands: config.gate.commands.map((c) => ({
        name: c.name,
        run: c.run,
        timeoutMs: c.timeout_seconds * 1000,
        warningPattern: c.warning_pattern,
      })),
      directoryOf: (task) => workspace.directoryOf(task),
      now: () => clock.now(),
    }),
    models: resolve,
    providers: new Set([...providers, ...agents.map((a) => a.provider)]),
    ...(agents.length > 0
      ? { agents: { clients: agents, directoryOf: (task: string) => workspace.directoryOf(task) } }
      : {}),
    prompts: await loadPrompts(PROMPTS_DIR),
    registry: withAgents(
      modelRegistry(config.models),
      agents.map((a) => a.provider),
    ),
    ...(options.traffic ? { traffic: options.traffic } : {}),
    ...(options.sandbox
      ? {
          sandbox: {
            sandbox: options.sandbox,
            checks: config.gate.commands.map((c) => ({ name: c.name, run: c.run })),
            limits: DEFAULT_LIMITS,
            directoryOf: (task: string) => workspace.directoryOf(task),
          },
        }
      : {}),
    ...(options.dayBudgetUsd === undefined
      ? {}
      : {
          dayLimits: [
            {
              scope: "repository" as const,
              key: options.workingDir,
              limitUsd: options.dayBudgetUsd,
              seed: spentOnDay(store),
            },
          ],
        }),
    clock,
    logger:
      options.logger ??
      pino({ level: process.env["ORCHESTRATOR_LOG_LEVEL"] ?? "warn" }, pino.destination(2)),
    tracer: options.tracer ?? trace.getTracer("orchestrator"),
    meter: options.meter ?? metrics.getMeter("orchestrator"),
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
    boundary: {
      secrets: options.secrets ?? [],
      allowedHosts: ["github.com", ...config.allowed_link_hosts],
    },
    settings: engineSettings(config, {
      owner: options.owner ?? processOwner(),
      ownerAlive,
      leaseMs: 10 * 60_000,
      gateScripts: config.gate.commands.flatMap((c) => scriptsRunBy(c.run)),
    }),
  };
  return { engine: createEngine(deps), deps, store, workspace, config, directory };
}
