import { describe, expect, it } from "vitest";
import { summariseLedger, totalCost } from "../../src/core/cost/ledger.ts";
import { costOf, DEFAULT_PRICES } from "../../src/core/cost/prices.ts";
import { call } from "../fakes/machine.ts";

describe("cost", () => {
  it("prices every kind of token at its own rate", () => {
    const sonnet = DEFAULT_PRICES.models["anthropic/claude-sonnet-4-5"]!;
    const usage = {
      input: { noCache: 1_000_000, cacheRead: 1_000_000, cacheWrite: 1_000_000 },
      output: 1_000_000,
    };
    expect(costOf(usage, sonnet)).toBe(3 + 0.3 + 3.75 + 15);
    expect(
      costOf({ input: { noCache: 1234, cacheRead: 0, cacheWrite: 0 }, output: 56 }, sonnet),
    ).toBe(0.004542);
  });

  it("has a dated price for every model in the default routing", async () => {
    const { DEFAULT_ROUTING } = await import("../../src/core/routing/rules.ts");
    const models = new Set([
      ...DEFAULT_ROUTING.reviewers,
      ...DEFAULT_ROUTING.rules.flatMap((r) => [...r.planner, ...r.implementer]),
    ]);
    for (const model of models) expect(DEFAULT_PRICES.models[model], model).toBeDefined();
    expect(DEFAULT_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("sums the ledger by role and model", () => {
    const calls = [
      call("a", "planner", 0.01),
      call("b", "implementer", 0.02),
      call("c", "planner", 0.005),
    ];
    expect(summariseLedger(calls).map((l) => [l.role, l.calls, l.costUsd])).toEqual([
      ["planner", 2, 0.015],
      ["implementer", 1, 0.02],
    ]);
    expect(totalCost(calls)).toBe(0.035);
  });
});
