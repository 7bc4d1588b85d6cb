import type { Usage } from "../core/cost/usage.ts";
import type { Effort } from "../core/vocabulary/effort.ts";
import type { CallTag } from "./language-model.ts";

/** One run of a coding agent (a CLI such as Claude Code) in a task's work tree. */
export interface AgentRun {
  /** Provider-specific model id, or "" for the CLI's default. */
  readonly model: string;
  /** The work tree the agent edits; its changes are the step's result. */
  readonly directory: string;
  /**
   * The effort routing wants for the run, already a level the model takes (`effortFor`), given
   * to the CLI in its own flag; absent: the CLI runs at its own default.
   */
  readonly effort?: Effort;
  /** Our instructions (the implementer's system prompt). */
  readonly instructions: string;
  /** The step, with the task's data fenced as in our own prompts. */
  readonly prompt: string;
  /** Caps we enforce around the process: wall time, turns, and dollars (killed past any). */
  readonly timeoutMs: number;
  readonly maxTurns: number;
  /**
   * Dollars this run may cost (null: no cap): what the model caller's budgets stage held for it.
   * Checked against usage as the agent reports it.
   */
  readonly budgetUsd: number | null;
  /** Prices usage for the budget check while the agent runs. */
  readonly costOf: (usage: Usage) => number;
  readonly tag: CallTag;
}

export interface AgentResult {
  /** The agent's last message. */
  readonly summary: string;
  readonly usage: Usage;
  /** The CLI's own cost figure, when it reports one. */
  readonly reportedCostUsd?: number;
  /** The effort the CLI was told in its own flag; absent: none was (it has no flag, or none was wanted). */
  readonly effort?: Effort;
  /** Usage was not reported; ours is an estimate. */
  readonly estimated: boolean;
  readonly turns: number;
  /** Why the run stopped: it finished, or we stopped it at a cap. */
  readonly stop: "end" | "time_limit" | "turn_limit" | "budget_limit";
}

/** A coding agent CLI. Errors are `ProviderError`s (auth, quota, rate_limit, timeout, server). */
export interface CodingAgent {
  /** Provider name in model references (`claude-code` in `claude-code/claude-sonnet-5-5`). */
  readonly provider: string;
  run(run: AgentRun): Promise<AgentResult>;
}
