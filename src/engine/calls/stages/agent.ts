import { z } from "zod";
import { CallRecord } from "../../../core/cost/ledger.ts";
import { costOf } from "../../../core/cost/prices.ts";
import { pricedCall } from "../../../core/cost/record.ts";
import { NoEligibleModelError } from "../../../core/errors.ts";
import type { ModelRegistry } from "../../../core/models/registry.ts";
import { effortFor } from "../../../core/routing/effort.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { CodingAgent } from "../../../ports/coding-agent.ts";
import type { WorkTree } from "../../../ports/workspace.ts";
import { genAiAgentRequest, genAiAgentResponse, genAiAgentSpanName } from "../gen-ai.ts";
import { WHAT_IS_LEFT, type MostCost } from "./budgets.ts";
import type { Operation } from "./observe.ts";
import { modelOf, type Invoke } from "./stage.ts";

// An agent run (a coding-agent CLI doing one step in the task's work tree) as a paid call: its
// request and answer, how it is named in telemetry, the most it may cost, and the end of its line.

/** What an agent run is asked: our instructions and the step, in the work tree, within our caps. */
export interface AgentRequest {
  readonly instructions: string;
  readonly prompt: string;
  /** Where the agent runs: the work tree's files on disk. */
  readonly directory: string;
  /** The same work tree, snapshotted when the run is done. */
  readonly tree: Pick<WorkTree, "snapshot">;
  readonly timeoutMs: number;
  readonly maxTurns: number;
}

/** What an agent run gave, as it is journaled. */
export const AgentAnswer = z.strictObject({
  /** The agent's last message. */
  summary: z.string(),
  /** It finished, or we stopped it at a cap. */
  stop: z.enum(["end", "time_limit", "turn_limit", "budget_limit"]),
  turns: z.number().int().nonnegative(),
  /** The dollars it was allowed (null: no cap). */
  limitUsd: z.number().nonnegative().nullable(),
  /**
   * The work tree as the run left it (`WorkTree.snapshot`): the run's effect, given back to a
   * clean work tree when the run is replayed from the journal.
   */
  tree: z.string(),
  /** The CLI's own cost figure, when it reports one. */
  reportedCostUsd: z.number().nonnegative().optional(),
});
export type AgentAnswer = z.infer<typeof AgentAnswer>;

/** A journaled agent run. */
export const AgentJournalEntry = z.object({ record: CallRecord, response: AgentAnswer });

/** An agent run is an agent invocation: `invoke_agent {agent}`, with the model it runs. */
export const INVOKE_AGENT: Operation<AgentRequest, AgentAnswer> = {
  spanName: genAiAgentSpanName,
  request: (ref) => genAiAgentRequest(ref),
  response: (record, answer) => genAiAgentResponse(record.model, answer.stop, record.usage),
};

/**
 * An agent run is stopped once its usage costs more than it was allowed, so the most it costs
 * is what it is given: the task's budget left (less what this effect spent), or, with no task
 * budget, what the day budgets have left.
 */
export const agentRunMost: MostCost<AgentRequest> = () => WHAT_IS_LEFT;

export interface AgentRunDeps {
  /** Coding-agent CLIs by provider (`claude-code`), each behind the engine's boundary. */
  readonly agents: ReadonlyMap<string, CodingAgent>;
  readonly registry: Pick<ModelRegistry, "models">;
  readonly clock: Clock;
}

/**
 * The end of an agent run's line: the CLI runs in the work tree, stopped past the dollars the
 * budgets stage held (`maxUsd`), told the effort routing wants in its own flag when it has
 * one; the files it left are snapshotted, and its usage is priced from the registry as the
 * vendor model it runs, with the effort it was told.
 */
export function agentRun(deps: AgentRunDeps): Invoke<AgentRequest, AgentAnswer> {
  return async (call) => {
    const { site, turn, key, request } = call;
    const ref = modelOf(call);
    const info = deps.registry.models.get(ref);
    if (!info) throw new NoEligibleModelError(`model ${ref} has no known price; it is not run`);
    const agent = deps.agents.get(ref.slice(0, ref.indexOf("/")));
    if (!agent) throw new NoEligibleModelError(`no coding-agent CLI runs ${ref} on this host`);
    const started = deps.clock.now();
    const day = new Date(started).toISOString().slice(0, 10);
    const limitUsd = call.maxUsd ?? null;
    // The level the model takes nearest to what routing wants; none for an agent without a flag.
    const effort = effortFor(info, site.effort);
    const result = await agent.run({
      model: ref.slice(ref.indexOf("/") + 1),
      ...(effort ? { effort } : {}),
      directory: request.directory,
      instructions: request.instructions,
      prompt: request.prompt,
      timeoutMs: request.timeoutMs,
      maxTurns: request.maxTurns,
      budgetUsd: limitUsd,
      costOf: (usage) => costOf(usage, info.price, day),
      tag: { task: site.task, role: site.role, step: site.step, attempt: site.attempt, turn },
    });
    const tree = await request.tree.snapshot();
    const record = pricedCall({
      key,
      role: site.role,
      model: info,
      prompt: site.prompt,
      usage: result.usage,
      stopReason: result.stop,
      estimated: result.estimated,
      effort: result.effort,
      startedMs: started,
      endedMs: deps.clock.now(),
    });
    return {
      response: {
        summary: result.summary,
        stop: result.stop,
        turns: result.turns,
        limitUsd,
        tree,
        ...(result.reportedCostUsd === undefined
          ? {}
          : { reportedCostUsd: result.reportedCostUsd }),
      },
      record,
    };
  };
}
