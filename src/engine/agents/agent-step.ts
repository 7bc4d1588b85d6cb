import type { CallRecord } from "../../core/cost/ledger.ts";
import { BudgetExceededError, ModelOutputError } from "../../core/errors.ts";
import type { RenderedPrompt } from "../../core/prompt/render.ts";
import type { WorkTree } from "../../ports/workspace.ts";
import type { AgentCall, AgentRequest, CallSite } from "../calls/model-caller.ts";

/**
 * One step done by a coding-agent CLI in the task's work tree: its changes are the step's
 * result (checked and committed by the caller like the tool loop's). The run goes through the
 * model caller (journal, telemetry, budgets) as turn `n` of the effect: an earlier run the task
 * has recorded ended an earlier try (a cap, a refused change), so a resumed effect runs anew;
 * one it has not recorded is this try's, replayed from the journal with the files it left
 * (its snapshot), not run again. Its cost goes into `calls` whatever happens; a cap we
 * enforced becomes the matching failure.
 */
export async function agentStep(args: {
  readonly call: AgentCall;
  /** The effect's journaled calls, in turn order. */
  readonly journaled: () => Promise<CallRecord[]>;
  /** Keys of the calls the task's ledger already has. */
  readonly recorded: ReadonlySet<string>;
  readonly site: CallSite;
  readonly prompt: RenderedPrompt;
  /** The work tree, clean when the step starts. */
  readonly tree: WorkTree;
  readonly directory: string;
  readonly timeoutMs: number;
  readonly maxTurns: number;
  readonly calls: CallRecord[];
}): Promise<string> {
  const { site, tree } = args;
  const earlier = await args.journaled();
  const unrecorded = earlier.findIndex((r) => !args.recorded.has(r.key));
  const turn = unrecorded < 0 ? earlier.length : unrecorded;
  args.calls.push(...earlier.slice(0, turn));
  const request: AgentRequest = {
    instructions: args.prompt.system,
    prompt: args.prompt.user,
    directory: args.directory,
    tree,
    timeoutMs: args.timeoutMs,
    maxTurns: args.maxTurns,
  };
  let { response, record } = await args.call(turn, request);
  // A run replayed from the journal finds the work tree clean: its files come back from its
  // snapshot (a fresh run's files are there already, and restoring them changes nothing).
  if (
    response.stop === "end" &&
    (await tree.changes()).length === 0 &&
    !(await tree.restore(response.tree))
  ) {
    // The snapshot is gone from the repository: that run stays paid for, and one more is made.
    args.calls.push(record);
    ({ response, record } = await args.call(turn + 1, request));
  }
  args.calls.push(record);
  switch (response.stop) {
    case "budget_limit":
      throw new BudgetExceededError(
        "task",
        `${site.modelRef} was stopped after ${response.turns} turns: its usage reached the $${(response.limitUsd ?? 0).toFixed(4)} it could spend (what the task's budget, or the day's, had left)`,
      );
    case "turn_limit":
      throw new ModelOutputError(
        "tool_limit",
        `${site.modelRef} was stopped past ${args.maxTurns} turns`,
      );
    case "time_limit":
      throw new ModelOutputError(
        "tool_limit",
        `${site.modelRef} was stopped after ${Math.round(args.timeoutMs / 60_000)} minutes (implementer.agent_minutes)`,
      );
    case "end":
      return response.summary || "(the agent gave no summary)";
  }
}
