import { costOf } from "../../core/cost/prices.ts";
import type { CallRecord, Role } from "../../core/cost/ledger.ts";
import { pricedCall } from "../../core/cost/record.ts";
import { BudgetExceededError, ModelOutputError, NoEligibleModelError } from "../../core/errors.ts";
import type { RenderedPrompt } from "../../core/prompt/render.ts";
import type { ModelRegistry } from "../../core/models/registry.ts";
import type { Clock } from "../../ports/clock.ts";
import type { CodingAgent } from "../../ports/coding-agent.ts";
import type { CallSite } from "../calls/model-caller.ts";

/**
 * One step done by a coding-agent CLI in the task's work tree: its changes are the step's
 * result (checked and committed by the caller like the tool loop's). Its cost goes into `calls`
 * whatever happens; a cap we enforced becomes the matching failure.
 */
export async function agentStep(
  agent: CodingAgent,
  args: {
    readonly site: CallSite;
    readonly role: Role;
    readonly prompt: RenderedPrompt;
    readonly directory: string;
    readonly registry: ModelRegistry;
    readonly clock: Clock;
    readonly timeoutMs: number;
    readonly maxTurns: number;
    readonly calls: CallRecord[];
  },
): Promise<string> {
  const { site } = args;
  const info = args.registry.models.get(site.modelRef);
  if (!info)
    throw new NoEligibleModelError(`model ${site.modelRef} has no known price; it is not run`);
  const started = args.clock.now();
  const day = new Date(started).toISOString().slice(0, 10);
  const result = await agent.run({
    model: site.modelRef.slice(site.modelRef.indexOf("/") + 1),
    directory: args.directory,
    instructions: args.prompt.system,
    prompt: args.prompt.user,
    timeoutMs: args.timeoutMs,
    maxTurns: args.maxTurns,
    budgetUsd: site.budgetLeftUsd ?? null,
    costOf: (usage) => costOf(usage, info.price, day),
    tag: { task: site.task, role: args.role, step: site.step, attempt: site.attempt, turn: 0 },
  });
  args.calls.push(
    pricedCall({
      key: `${site.effectKey}#0`,
      role: args.role,
      model: info,
      prompt: site.prompt,
      usage: result.usage,
      stopReason: result.stop,
      estimated: result.estimated,
      startedMs: started,
      endedMs: args.clock.now(),
    }),
  );
  switch (result.stop) {
    case "budget_limit":
      throw new BudgetExceededError(
        "task",
        `${site.modelRef} was stopped after ${result.turns} turns: its usage reached the $${(site.budgetLeftUsd ?? 0).toFixed(4)} the task had left`,
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
      return result.summary || "(the agent gave no summary)";
  }
}
