import type { Sandbox, SandboxLimits } from "../ports/sandbox.ts";
import type { CheckCommand } from "./agents/commands.ts";
import type { Records } from "../core/learning/analytics.ts";
import type { Meter, Tracer } from "@opentelemetry/api";
import type { BoundaryPolicy } from "./boundary.ts";
import type { DayLimit } from "./calls/day-spend.ts";
import type { RetrySettings } from "./calls/retry.ts";
import type { CodingAgent } from "../ports/coding-agent.ts";
import type { ModelTraffic } from "./calls/traffic.ts";
import type { ModelRegistry } from "../core/models/registry.ts";
import type { RoutingConfig } from "../core/routing/rules.ts";
import type { Limits } from "../core/task/document.ts";
import type { Clock } from "../ports/clock.ts";
import type { CodeHost } from "../ports/code-host.ts";
import type { IssueTracker } from "../ports/issue-tracker.ts";
import type { LanguageModel } from "../ports/language-model.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptSet } from "../ports/prompts.ts";
import type { QualityGate } from "../ports/quality-gate.ts";
import type { StateStore } from "../ports/state-store.ts";
import type { Workspace } from "../ports/workspace.ts";
import type { RunStop } from "./run-stop.ts";

/** Finds the client for a model reference `provider/model`. */
export type ModelResolver = (ref: string) => {
  readonly client: LanguageModel;
  readonly model: string;
};

export interface EngineSettings {
  readonly routing: RoutingConfig;
  readonly limits: Limits;
  readonly branchPrefix: string;
  /** Globs the implementer may never change. */
  readonly protectedPaths: readonly string[];
  /** Tool turns one implementation may take. */
  readonly maxToolTurns: number;
  /** Wall time of one coding-agent CLI run. */
  readonly agentTimeoutMs: number;
  /** Files one step may change. */
  readonly maxChangedFiles: number;
  /** Share of the repository's files one step may delete (0 to 1). */
  readonly maxDeletedShare: number;
  /** npm scripts that need a person to change, besides the lifecycle scripts. */
  readonly protectedScripts: readonly string[];
  readonly maxOutputTokens: number;
  /** Who runs tasks here, for leases. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Whether a lease's owner may still be working (false lets a lease of a dead process go at once). */
  readonly ownerAlive: (owner: string) => boolean;
  readonly retry: RetrySettings;
}

export interface EngineDeps {
  readonly store: StateStore;
  readonly tracker: IssueTracker;
  readonly codeHost: CodeHost;
  readonly workspace: Workspace;
  readonly gate: QualityGate;
  readonly models: ModelResolver;
  /** Providers the host can call. */
  readonly providers: ReadonlySet<string>;
  readonly prompts: PromptSet;
  /** Known models: prices, context windows, capabilities. */
  readonly registry: ModelRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /**
   * The learning records of the other repositories of this installation, pooled into routing
   * with shrinkage (read only for a strategy other than `baseline`); absent on hosts without any.
   */
  readonly installationRecords?: () => Promise<Records>;
  readonly settings: EngineSettings;
  /** Circuits, token buckets and day spend shared by the process's engines; one per engine when omitted. */
  readonly traffic?: ModelTraffic;
  /** Day budgets (repository, installation) this engine's calls count against. */
  readonly dayLimits?: readonly DayLimit[];
  /**
   * Coding-agent CLIs the implementer and fixer may be routed to, and where a task's work tree
   * is on disk. Only hosts that run on the user's own machine or a throwaway runner give them.
   */
  readonly agents?: {
    readonly clients: readonly CodingAgent[];
    readonly directoryOf: (task: string) => string;
  };
  /**
   * The sandbox the implementer's and fixer's `run` and `check` tools use, with the gate's
   * commands and where a task's tree is on disk. Absent (no tools, the prompts say so) where no
   * sandbox works and the user did not opt into running commands as themselves; never on the App.
   */
  readonly sandbox?: {
    readonly sandbox: Sandbox;
    readonly checks: readonly CheckCommand[];
    readonly limits: SandboxLimits;
    readonly directoryOf: (task: string) => string;
  };
  /** What may cross the ports: secrets to redact, hosts links may point to (`boundary.ts`). */
  readonly boundary: BoundaryPolicy;
  /** The process's stop: runs end at their next effect once it is set (`run-stop.ts`). */
  readonly stop?: RunStop;
}
