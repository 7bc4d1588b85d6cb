import { describe, expect, it } from "vitest";
import { modelRegistry, shippedModels } from "../../src/config/models.ts";
import { summariseLedger, totalCost } from "../../src/core/cost/ledger.ts";
import { costOf } from "../../src/core/cost/prices.ts";
import { DEFAULT_ROUTING } from "../../src/core/routing/rules.ts";
import { call } from "../fakes/machine.ts";

const registry = modelRegistry();
const price = (ref: string) => {
  const info = registry.models.get(ref);
  if (!info) throw new Error(`no ${ref}`);
  return info.price;
};
const million = {
  input: { noCache: 1_000_000, cacheRead: 1_000_000, cacheWrite: 1_000_000 },
  output: 1_000_000,
};

describe("cost", () => {
  it("prices every kind of token at its own rate", () => {
    const sonnet = price("anthropic/claude-sonnet-5-5");
    expect(costOf(million, sonnet)).toBe(2 + 0.1 + 2.5 + 10);
    expect(
      costOf({ input: { noCache: 1234, cacheRead: 0, cacheWrite: 0 }, output: 56 }, sonnet),
    ).toBe(0.003028);
  });

  it("bills a whole request at the long-prompt rates once its prompt, cached tokens included, passes the threshold", () => {
    const haiku = price("anthropic/claude-haiku-5-5");
    const at = (noCache: number, cacheRead: number) =>
      costOf({ input: { noCache, cacheRead, cacheWrite: 0 }, output: 1_000 }, haiku);
    // 100,000 prompt tokens: the short rates ($0.10 in, $0.01 cached, $0.50 out).
    expect(at(40_000, 60_000)).toBe(0.0051);
    // Past it: every token at the long rates ($0.50, $0.05, $2.50).
    expect(at(40_002, 60_000)).toBe(0.025501);
  });

  it("applies an announced price change from its day", () => {
    const flash = price("google/gemini-3.8-flash");
    const usage = { input: { noCache: 1_000_000, cacheRead: 0, cacheWrite: 0 }, output: 0 };
    expect(costOf(usage, flash, "2026-12-31")).toBe(0.75);
    expect(costOf(usage, flash, "2027-01-01")).toBe(1.5);
  });

  it("has a dated price with its source for every model in the default routing", () => {
    const models = new Set([
      ...DEFAULT_ROUTING.reviewers,
      ...DEFAULT_ROUTING.rules.flatMap((r) => [...r.planner, ...r.implementer]),
    ]);
    const table = shippedModels();
    for (const model of models) {
      const entry = table.models[model];
      expect(entry, model).toBeDefined();
      expect(entry?.source, model).toMatch(/^https:\/\//);
      expect(entry?.checked, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(table.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set([...models].map((m) => m.split("/")[0]))).toEqual(
      new Set(["anthropic", "google", "openai"]),
    );
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
