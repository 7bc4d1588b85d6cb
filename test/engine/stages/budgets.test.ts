import { describe, expect, it } from "vitest";
import { BudgetExceededError, NoEligibleModelError } from "../../../src/core/errors.ts";
import { DaySpend, type DayLimit } from "../../../src/engine/calls/day-spend.ts";
import {
  budgets,
  maxCost,
  modelCallMost,
  WHAT_IS_LEFT,
  type MostCost,
} from "../../../src/engine/calls/stages/budgets.ts";
import type { CallRequest } from "../../../src/engine/calls/stages/stage.ts";
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

function stage(
  dayLimits: readonly DayLimit[] = [],
  daySpend = new DaySpend(clock.now),
  most: MostCost<CallRequest> = modelCallMost,
) {
  return {
    invoke: budgets({ registry, traffic: { daySpend }, dayLimits, clock }, most),
    daySpend,
  };
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

  it("the next stages see what was held as the call's most", async () => {
    const next = recordingNext(() => Promise.resolve(answer()));
    await stage([DAY]).invoke(next)(pendingCall());
    expect(next.calls[0]?.maxUsd).toBe(maxCost(info, pendingCall().request, NOW));
  });

  describe("a call stopped at what it is given (an agent run), without a task budget", () => {
    const unbounded: MostCost<CallRequest> = () => WHAT_IS_LEFT;

    it("holds what the day budgets have left, the least of them, and is given that", async () => {
      const daySpend = new DaySpend(clock.now);
      const other: DayLimit = { scope: "installation", key: "42", limitUsd: 5 };
      (await daySpend.hold([DAY], 0.4)).settle(0.4);
      const next = recordingNext(async () => {
        // Nothing else fits beside it until it settles.
        await expect(daySpend.hold([DAY], 0.01)).rejects.toBeInstanceOf(BudgetExceededError);
        return answer();
      });
      const result = await stage([DAY, other], daySpend, unbounded).invoke(next)(pendingCall());
      expect(next.calls[0]?.maxUsd).toBe(0.6);
      expect(daySpend.spentToday("o/r")).toBe(0.4 + result.record.costUsd);
    });

    it("is refused when a day budget has nothing left, and has no cap where there is no day budget", async () => {
      const daySpend = new DaySpend(clock.now);
      (await daySpend.hold([DAY], 1)).settle(1);
      const next = recordingNext(() => Promise.resolve(answer()));
      await expect(
        stage([DAY], daySpend, unbounded).invoke(next)(pendingCall()),
      ).rejects.toMatchObject({
        scope: "repository",
        message: expect.stringContaining("nothing left"),
      });
      expect(next.calls).toEqual([]);
      await stage([], daySpend, unbounded).invoke(next)(pendingCall());
      expect(next.calls[0]).not.toHaveProperty("maxUsd");
    });
  });

  it("a call stopped at what it is given, with a task budget, is given what the task has left: held against the day, refused when that could pass it", async () => {
    const rest: MostCost<CallRequest> = () => WHAT_IS_LEFT;
    const next = recordingNext(() => Promise.resolve(answer()));
    const site = { ...pendingCall().site, budgetLeftUsd: 0.5 };
    await stage([DAY], undefined, rest).invoke(next)(pendingCall({ site, spentUsd: 0.2 }));
    expect(next.calls[0]?.maxUsd).toBe(0.3);
    // The day has $1; the task could spend $2.
    await expect(
      stage([DAY], undefined, rest).invoke(next)(
        pendingCall({ site: { ...site, budgetLeftUsd: 2 } }),
      ),
    ).rejects.toMatchObject({ scope: "repository" });
    await expect(
      stage([], undefined, rest).invoke(next)(pendingCall({ site, spentUsd: 0.5 })),
    ).rejects.toMatchObject({ scope: "task" });
    expect(next.calls).toHaveLength(1);
  });
});
