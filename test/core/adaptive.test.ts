import { describe, expect, it } from "vitest";
import { seeded } from "../fakes/random.ts";
import { taskLine } from "../fakes/records.ts";
import {
  choose,
  driftedModels,
  gotWorse,
  sampleBeta,
  type Arm,
  type ChooseInput,
  type Evidence,
} from "../../src/core/learning/adaptive.ts";

const STRONG: Arm = { model: "anthropic/opus", costUsd: 0.3, tier: 3 };
const MID: Arm = { model: "anthropic/sonnet", costUsd: 0.1, tier: 2 };
const CHEAP: Arm = { model: "google/flash", costUsd: 0.01, tier: 1 };

const ev = (s: number, f: number): Evidence => ({ successes: s, failures: f });

function input(over: Partial<ChooseInput> & Pick<ChooseInput, "options">): ChooseInput {
  return {
    role: "implementer",
    risk: "low",
    area: "docs",
    arms: [STRONG, MID, CHEAP],
    baseline: MID.model,
    repository: new Map(),
    random: seeded(1),
    ...over,
  };
}

describe("the adaptive router", () => {
  it("without history every strategy that trusts the prior keeps the rule table's choice", () => {
    for (const strategy of ["baseline", "performance"] as const)
      expect(choose(input({ options: { strategy } })).model).toBe(MID.model);
    expect(choose(input({ options: { strategy: "performance" } })).confidence).toBe(0);
  });

  it("performance, cost and balanced read the evidence", () => {
    const repository = new Map([
      [STRONG.model, ev(19, 1)],
      [MID.model, ev(16, 4)],
      [CHEAP.model, ev(17, 3)],
    ]);
    expect(choose(input({ repository, options: { strategy: "performance" } })).model).toBe(
      STRONG.model,
    );
    const cheapest = choose(
      input({ repository, options: { strategy: "cost", qualityFloor: 0.75 } }),
    );
    expect(cheapest.model).toBe(CHEAP.model);
    expect(cheapest.rationale).toMatch(
      /^cost: the cheapest expected to succeed at least 75 % \(expected success \d+ % from 20\.0 task\(s\), \$0\.0100 per task\)$/,
    );
    // A success worth $1: flash's expected value beats opus's; worth $20, opus's does.
    expect(
      choose(input({ repository, options: { strategy: "balanced", successValueUsd: 1 } })).model,
    ).toBe(CHEAP.model);
    expect(
      choose(input({ repository, options: { strategy: "balanced", successValueUsd: 20 } })).model,
    ).toBe(STRONG.model);
  });

  it("learning: the same seed gives the same decisions; it settles on the best value as evidence grows", () => {
    const repository = new Map([
      [STRONG.model, ev(45, 5)],
      [MID.model, ev(30, 20)],
      [CHEAP.model, ev(44, 6)],
    ]);
    const run = (seed: number) => {
      const random = seeded(seed);
      return Array.from(
        { length: 200 },
        () => choose(input({ repository, random, options: { strategy: "learning" } })).model,
      );
    };
    expect(run(7)).toEqual(run(7));
    const picks = run(7);
    expect(picks.filter((m) => m === CHEAP.model).length).toBeGreaterThan(170);
  });

  it("high-risk tasks never go below the tier floor, exploring or not", () => {
    const repository = new Map([[CHEAP.model, ev(100, 0)]]);
    const random = seeded(3);
    const picks = Array.from(
      { length: 300 },
      () =>
        choose(
          input({
            risk: "high",
            repository,
            random,
            options: { strategy: "learning", explorationRate: 0.9, tierFloor: 2 },
          }),
        ).model,
    );
    expect(picks).not.toContain(CHEAP.model);
  });

  it("exploration shrinks as confidence grows", () => {
    const explored = (repository: Map<string, Evidence>) => {
      const random = seeded(11);
      return Array.from({ length: 2000 }, () =>
        choose(
          input({ repository, random, options: { strategy: "learning", explorationRate: 0.5 } }),
        ),
      ).filter((c) => c.explored).length;
    };
    const little = explored(new Map());
    const lots = explored(
      new Map([
        [STRONG.model, ev(300, 30)],
        [MID.model, ev(300, 30)],
        [CHEAP.model, ev(300, 30)],
      ]),
    );
    expect(little).toBeGreaterThan(lots * 5);
  });

  it("a new repository starts from its installation's experience; its own evidence takes over", () => {
    const installation = new Map([
      [CHEAP.model, ev(200, 10)],
      [MID.model, ev(100, 100)],
    ]);
    expect(choose(input({ installation, options: { strategy: "performance" } })).model).toBe(
      CHEAP.model,
    );
    const own = new Map([[CHEAP.model, ev(2, 30)]]);
    expect(
      choose(input({ installation, repository: own, options: { strategy: "performance" } })).model,
    ).not.toBe(CHEAP.model);
  });

  it("a model that got worse: its latest outcomes, clearly below what its record predicted, replace its record", () => {
    const outcomes = (won: number, n: number, expected: number) =>
      Array.from({ length: n }, (_, i) => ({ won: i < won, expected }));
    expect(gotWorse(outcomes(16, 30, 0.9))).toBe(true);
    expect(gotWorse(outcomes(25, 30, 0.9))).toBe(false);
    expect(gotWorse(outcomes(5, 10, 0.9))).toBe(false); // too few to say
    // From records: 40 successes of flash, then 30 tasks with half of them failed.
    const at = (i: number) => new Date(Date.UTC(2026, 1, 1) + i * 3_600_000).toISOString();
    const line = (i: number, outcome: "success" | "failure") =>
      taskLine({
        task: String(i),
        area: "docs",
        risk: "low",
        models: { implementer: { model: CHEAP.model, provider: "google" } },
        outcome,
        finishedAt: at(i),
      });
    const good = Array.from({ length: 40 }, (_, i) => line(i, "success"));
    const window = { now: at(100) };
    expect(driftedModels({ tasks: good, calls: [] }, window, "implementer").size).toBe(0);
    const worse = [
      ...good,
      ...Array.from({ length: 30 }, (_, i) => line(40 + i, i % 2 ? "success" : "failure")),
    ];
    const found = driftedModels({ tasks: worse, calls: [] }, window, "implementer");
    expect(found.get(CHEAP.model)).toEqual({ successes: 15, failures: 15 });
    // Balanced at $1 a success: flash's long record would win; its latest outcomes do not.
    const repository = new Map([
      [MID.model, ev(18, 2)],
      [CHEAP.model, ev(68, 2)],
    ]);
    const options = { strategy: "balanced", successValueUsd: 1 } as const;
    expect(choose(input({ repository, options })).model).toBe(CHEAP.model);
    expect(choose(input({ repository, options, drifted: found })).model).toBe(MID.model);
  });

  it("Beta draws have the right mean", () => {
    const random = seeded(5);
    const draws = Array.from({ length: 20_000 }, () => sampleBeta(3, 7, random));
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.3, 2);
    const small = Array.from({ length: 20_000 }, () => sampleBeta(0.5, 0.5, random));
    expect(small.reduce((s, x) => s + x, 0) / small.length).toBeCloseTo(0.5, 1);
  });
});
