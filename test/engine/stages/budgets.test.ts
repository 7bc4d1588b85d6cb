import { describe, expect, it } from "vitest";
import { BudgetExceededError, NoEligibleModelError } from "../../../src/core/errors.ts";
import { DaySpend, type DayLimit } from "../../../src/engine/calls/day-spend.ts";
import { budgets, maxCost } from "../../../src/engine/calls/stages/budgets.ts";
import {
  answer,
  clock,
  NOW,
  pendingCall,
  recordingNext,
  registry,
  SONNET,
} from "../../fakes/pending-call.ts";

const info = registry.models.get(SONNET);
if (!info) throw new Error("no Sonnet");
const DAY: DayLimit = { scope: "repository", key: "o/r", limitUsd: 1 };

function stage(dayLimits: readonly DayLimit[] = [], daySpend = new DaySpend(clock.now)) {
  return { invoke: budgets({ registry, traffic: { daySpend }, dayLimits, clock }), daySpend };
}

describe("the budgets stage", () => {
  it("the most a call can cost: its prompt at the dearer input price, and its whole output allowance", () => {
    const request = { ...pendingCall().request, maxOutputTokens: 1_000 };
    const most = maxCost(info, request, NOW);
    // Output alone: 1,000 tokens at $15 per million.
    expect(most).toBeGreaterThan(0.015);
    // Never more output than the model can write: 64,000 at $15 per million, plus the prompt.
    const capped = maxCost(info, { ...request, maxOutputTokens: 1_000_000 }, NOW);
    expect(capped).toBeLessThan(0.961);
    expect(capped).toBeGreaterThan(0.96);
  });

  it("a call that could pass the task's budget left is not made", async () => {
    const { invoke } = stage();
    const next = recordingNext(() => Promise.resolve(answer()));
    const request = { ...pendingCall().request, maxOutputTokens: 10_000 };
    // $0.15 of output could be written; the task has $0.10 left.
    const call = pendingCall({ request, site: { ...pendingCall().site, budgetLeftUsd: 0.1 } });
    await expect(invoke(next)(call)).rejects.toMatchObject({
      scope: "task",
      message: expect.stringContaining("the task has $0.1000 of its budget left"),
    });
    // What this effect's earlier turns spent counts too.
    const roomy = { ...call, site: { ...call.site, budgetLeftUsd: 0.3 } };
    await invoke(next)(roomy);
    await expect(invoke(next)({ ...roomy, spentUsd: 0.2 })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    expect(next.calls).toHaveLength(1);
  });

  it("holds the most against the day budgets while the call runs, and settles with its real cost", async () => {
    const { invoke, daySpend } = stage([DAY]);
    let heldDuring = 0;
    const next = recordingNext(async () => {
      // While the call runs, the whole day budget no longer fits beside its hold.
      await expect(daySpend.hold([DAY], 1)).rejects.toBeInstanceOf(BudgetExceededError);
      heldDuring += 1;
      return answer();
    });
    const result = await invoke(next)(pendingCall());
    expect(heldDuring).toBe(1);
    expect(daySpend.spentToday("o/r")).toBe(result.record.costUsd);
  });

  it("a failed call gives its hold back and counts nothing", async () => {
    const { invoke, daySpend } = stage([DAY]);
    await expect(invoke(() => Promise.reject(new Error("down")))(pendingCall())).rejects.toThrow(
      "down",
    );
    expect(daySpend.spentToday("o/r")).toBe(0);
    await daySpend.hold([DAY], 1);
  });

  it("a call that could pass a day budget is not made", async () => {
    const { invoke } = stage([{ ...DAY, limitUsd: 0.001 }]);
    const next = recordingNext(() => Promise.resolve(answer()));
    await expect(invoke(next)(pendingCall())).rejects.toMatchObject({ scope: "repository" });
    expect(next.calls).toEqual([]);
  });

  it("an unpriced model is never called", async () => {
    const { invoke } = stage();
    const next = recordingNext(() => Promise.resolve(answer()));
    await expect(invoke(next)(pendingCall({ model: "acme/unknown" }))).rejects.toBeInstanceOf(
      NoEligibleModelError,
    );
    expect(next.calls).toEqual([]);
  });
});
