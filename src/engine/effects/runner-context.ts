import type { Tracer } from "@opentelemetry/api";
import type { ModelRegistry } from "../../core/models/registry.ts";
import type { Records } from "../../core/learning/analytics.ts";
import type { Clock } from "../../ports/clock.ts";
import type { CodeHost } from "../../ports/code-host.ts";
import type { IssueTracker } from "../../ports/issue-tracker.ts";
import type { Logger } from "../../ports/logger.ts";
import type { PromptSet } from "../../ports/prompts.ts";
import type { QualityGate } from "../../ports/quality-gate.ts";
import type { Workspace } from "../../ports/workspace.ts";
import type { EngineSettings } from "../deps.ts";
import type { ModelCaller } from "../calls/model-caller.ts";
import type { Instruments } from "../telemetry.ts";
import type { CommandRunner } from "../agents/commands.ts";

/** What effect runners may use: guarded ports and the model caller. Each takes only its part. */
export interface RunnerContext {
  readonly workspace: Workspace;
  readonly gate: QualityGate;
  readonly tracker: IssueTracker;
  readonly codeHost: CodeHost;
  readonly prompts: PromptSet;
  readonly caller: ModelCaller;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
  readonly settings: EngineSettings;
  readonly registry: ModelRegistry;
  /** The repository's learning records (empty where the store keeps none). */
  readonly records: () => Promise<Records>;
  /**
   * The providers that are coding-agent CLIs (their runs go through `caller.agentAt`), and
   * where a task's work tree is on disk for them.
   */
  readonly agents: {
    readonly providers: ReadonlySet<string>;
    readonly directoryOf: (task: string) => string;
  };
  /** The `run` and `check` tools' sandbox, journaled per effect; absent where there is none. */
  readonly commands?: CommandRunner;
}
