import { describe, expect, it } from "vitest";
import { modelRegistry, shippedModels } from "../../src/config/models.ts";
import { summariseLedger, totalCost } from "../../src/core/cost/ledger.ts";
import { costOf } from "../../src/core/cost/prices.ts";
import { buildRegistry, unservableModels } from "../../src/core/models/registry.ts";
import { routedModels } from "../../src/core/routing/route.ts";
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

  it("names a routed model without a price, or on and after its announced retirement day", () => {
    const table = shippedModels();
    const entry = table.models["anthropic/claude-sonnet-5-5"];
    if (!entry) throw new Error("no sonnet");
    const registry = buildRegistry({
      as_of: table.as_of,
      models: {
        "anthropic/kept": entry,
        "anthropic/going": {
          ...entry,
          retires: { on: "2027-01-22", source: "https://example.com", checked: "2026-12-02" },
        },
      },
    });
    const refs = [
      { path: "a", ref: "anthropic/kept" },
      { path: "b", ref: "anthropic/going" },
      { path: "c", ref: "anthropic/unknown" },
    ];
    expect(unservableModels(registry, refs, "2027-01-21")).toEqual([
      { path: "c", message: "anthropic/unknown has no price in the model table" },
    ]);
    expect(unservableModels(registry, refs, "2027-01-22").map((p) => p.path)).toEqual(["b", "c"]);
    expect(unservableModels(registry, refs, "2027-01-22")[0]?.message).toBe(
      "anthropic/going is retired from 2027-01-22 (on 2027-01-22)",
    );
  });

  it("every model the default routing uses has a price and is not retired today", () => {
    // Today's date, passed in: this test starts failing on the day a vendor retires a model the
    // seeds route to, which is when the table and the routing need a new look.
    const today = new Date().toISOString().slice(0, 10);
    const refs = routedModels(DEFAULT_ROUTING);
    expect(refs.length).toBeGreaterThan(10);
    expect(unservableModels(registry, refs, today)).toEqual([]);
    expect(unservableModels(registry, refs, shippedModels().as_of)).toEqual([]);
    // A retirement the table announces is read: Opus 4.5 goes on 2027-01-22.
    expect(registry.models.get("anthropic/claude-opus-4-5")?.retires).toBe("2027-01-22");
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

  it("counts reasoning tokens in a ledger line as the calls reported them (they are priced as output)", () => {
    const think = (key: string, reasoning?: number) => {
      const c = call(key, "implementer", 0.01);
      return {
        ...c,
        usage: { ...c.usage, output: 500, ...(reasoning === undefined ? {} : { reasoning }) },
      };
    };
    const [line] = summariseLedger([think("a", 300), think("b"), think("c", 120)]);
    expect(line?.usage.output).toBe(1500);
    expect(line?.usage.reasoning).toBe(420);
    expect(costOf({ ...million, reasoning: 400_000 }, price("anthropic/claude-sonnet-5-5"))).toBe(
      costOf(million, price("anthropic/claude-sonnet-5-5")),
    );
  });
});
