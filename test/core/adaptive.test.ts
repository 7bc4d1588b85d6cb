import { describe, expect, it } from "vitest";
import { seeded } from "../fakes/random.ts";
import {
  choose,
  sampleBeta,
  type Arm,
  type ChooseInput,
} from "../../src/core/learning/adaptive.ts";
import type { ArmEvidence, ArmsEvidence } from "../../src/core/learning/memory.ts";

const STRONG: Arm = { id: "anthropic/opus", model: "anthropic/opus", costUsd: 0.3, tier: 2 };
const MID: Arm = { id: "anthropic/sonnet", model: "anthropic/sonnet", costUsd: 0.1, tier: 1 };
const CHEAP: Arm = { id: "google/flash", model: "google/flash", costUsd: 0.01, tier: 0 };

type Pair = readonly [number, number];
interface Known {
  readonly here?: Pair;
  readonly elsewhere?: Pair;
  readonly installation?: Pair;
  readonly drifted?: boolean;
}
const ev = ([successes, failures]: Pair = [0, 0]) => ({ successes, failures });

/** The records' evidence as `armsEvidence` gives it, costs taken from the arms. */
function known(
  byArm: Record<string, Known>,
  o: { classStrength?: number; classShift?: number } = {},
): ArmsEvidence {
  const arms = new Map<string, ArmEvidence>(
    Object.entries(byArm).map(([id, k]) => [
      id,
      {
        inClass: ev(k.here),
        elsewhere: ev(k.elsewhere),
        installation: ev(k.installation),
        drifted: k.drifted ?? false,
        costUsd: [STRONG, MID, CHEAP].find((a) => a.id === id)?.costUsd ?? 0,
        costTasks: 0,
      },
    ]),
  );
  return { arms, classStrength: o.classStrength ?? 20, classShift: o.classShift ?? 0 };
}

function input(over: Partial<ChooseInput> & Pick<ChooseInput, "options">): ChooseInput {
  return {
    role: "implementer",
    risk: "low",
    area: "docs",
    arms: [STRONG, MID, CHEAP],
    baseline: MID.id,
    random: seeded(1),
    ...over,
  };
}

describe("the adaptive router", () => {
  it("without history the strategies that trust the prior keep the rule table's choice", () => {
    for (const strategy of ["baseline", "performance"] as const)
      expect(choose(input({ options: { strategy } })).model).toBe(MID.model);
    expect(choose(input({ options: { strategy: "performance" } })).confidence).toBe(0);
  });

  it("priors from the tier: when the table's choice fails, the strongest other candidate is next, not the next listed", () => {
    // The rule lists sonnet, then flash, then opus; sonnet failed four of five tasks here.
    const arms = [MID, CHEAP, STRONG];
    const evidence = known({ [MID.id]: { here: [1, 4] } });
    expect(choose(input({ arms, evidence, options: { strategy: "performance" } })).model).toBe(
      STRONG.model,
    );
  });

  it("performance, cost and balanced read the evidence", () => {
    const evidence = known({
      [STRONG.id]: { here: [19, 1] },
      [MID.id]: { here: [16, 4] },
      [CHEAP.id]: { here: [17, 3] },
    });
    expect(choose(input({ evidence, options: { strategy: "performance" } })).model).toBe(
      STRONG.model,
    );
    // A success worth $1: flash's expected value beats opus's; worth $20, opus's does.
    expect(
      choose(input({ evidence, options: { strategy: "balanced", successValueUsd: 1 } })).model,
    ).toBe(CHEAP.model);
    expect(
      choose(input({ evidence, options: { strategy: "balanced", successValueUsd: 20 } })).model,
    ).toBe(STRONG.model);
  });

  it("cost: the cheapest arm credibly close to the best, the floor relative to the best in the rationale", () => {
    // Below the old absolute floor of 80 % every arm: cost then decided like performance.
    const evidence = known({
      [STRONG.id]: { here: [30, 20] },
      [MID.id]: { here: [29, 21] },
      [CHEAP.id]: { here: [20, 30] },
    });
    const performance = choose(input({ evidence, options: { strategy: "performance" } }));
    const cost = choose(input({ evidence, options: { strategy: "cost", qualityFloor: 0.9 } }));
    expect(performance.model).toBe(STRONG.model);
    expect(cost.model).toBe(MID.model);
    expect(cost.rationale).toMatch(
      /^cost: the cheapest expected to succeed at least 90 % as often as the best \(anthropic\/opus, 60 %\): floor 54 % \(expected success 58 % from 50\.0 task\(s\), \$0\.1000 per task at list price\)$/,
    );
    // A stricter floor keeps the best.
    expect(
      choose(input({ evidence, options: { strategy: "cost", qualityFloor: 0.99 } })).model,
    ).toBe(STRONG.model);
  });

  it("learning: the same seed gives the same decisions; it settles on the best value as evidence grows", () => {
    const evidence = known({
      [STRONG.id]: { here: [45, 5] },
      [MID.id]: { here: [30, 20] },
      [CHEAP.id]: { here: [44, 6] },
    });
    const run = (seed: number) => {
      const random = seeded(seed);
      return Array.from(
        { length: 200 },
        () => choose(input({ evidence, random, options: { strategy: "learning" } })).model,
      );
    };
    expect(run(7)).toEqual(run(7));
    const picks = run(7);
    expect(picks.filter((m) => m === CHEAP.model).length).toBeGreaterThan(170);
    expect(picks).not.toContain(MID.model);
  });

  it("high-risk tasks never go below the tier floor, exploring or not", () => {
    const evidence = known({ [CHEAP.id]: { here: [100, 0] } });
    const random = seeded(3);
    const picks = Array.from(
      { length: 300 },
      () =>
        choose(
          input({
            risk: "high",
            evidence,
            random,
            options: { strategy: "learning", explorationRate: 0.5, tierFloor: 1 },
          }),
        ).model,
    );
    expect(picks).not.toContain(CHEAP.model);
  });

  it("exploration shrinks as confidence grows, and ends once every other arm is credibly worse", () => {
    const explored = (evidence: ArmsEvidence) => {
      const random = seeded(11);
      return Array.from({ length: 2000 }, () =>
        choose(
          input({ evidence, random, options: { strategy: "learning", explorationRate: 0.5 } }),
        ),
      );
    };
    const little = explored(known({})).filter((c) => c.explored).length;
    const close = explored(
      known({
        [STRONG.id]: { here: [60, 40] },
        [MID.id]: { here: [58, 42] },
        [CHEAP.id]: { here: [57, 43] },
      }),
    ).filter((c) => c.explored).length;
    expect(little).toBeGreaterThan(close * 2);
    expect(close).toBeGreaterThan(0);
    // Flash is far ahead by value: nothing else could be the best, so nothing is tried.
    const settled = explored(
      known({
        [STRONG.id]: { here: [50, 250] },
        [MID.id]: { here: [50, 250] },
        [CHEAP.id]: { here: [280, 20] },
      }),
    );
    expect(settled.filter((c) => c.explored)).toEqual([]);
    expect(settled[0]?.rationale).toContain("exploration ended, every other arm is credibly worse");
  });

  it("balanced: an arm that could still be the best gets one standard deviation of optimism, until it is credibly worse", () => {
    const balanced = (evidence: ArmsEvidence) =>
      choose(input({ evidence, options: { strategy: "balanced" } }));
    // Flash looked bad in 5 tasks: greedy alone would never try it again.
    const early = balanced(
      known({
        [STRONG.id]: { here: [25, 25] },
        [MID.id]: { here: [30, 20] },
        [CHEAP.id]: { here: [2, 3] },
      }),
    );
    expect(early).toMatchObject({ model: CHEAP.model, explored: true });
    expect(early.rationale).toContain("one standard deviation of optimism");
    // Once 200 tasks say it is worse, and Opus is credibly worse too, exploration has ended.
    const late = balanced(
      known({
        [STRONG.id]: { here: [25, 25] },
        [MID.id]: { here: [30, 20] },
        [CHEAP.id]: { here: [40, 160] },
      }),
    );
    expect(late).toMatchObject({ model: MID.model, explored: false });
    expect(late.rationale).toContain("exploration ended, every other arm is credibly worse");
  });

  it("learning never draws an arm it has ruled out", () => {
    // Opus is sure (800 tasks) and credibly worse by value than Sonnet, which is not sure (20
    // tasks): a draw of Sonnet's success often falls below Opus's, but Opus is ruled out.
    const evidence = known({
      [STRONG.id]: { here: [600, 200] },
      [MID.id]: { here: [13, 7] },
      [CHEAP.id]: { here: [100, 400] },
    });
    const random = seeded(5);
    const picks = Array.from(
      { length: 500 },
      () =>
        choose(input({ evidence, random, options: { strategy: "learning", explorationRate: 0 } }))
          .model,
    );
    expect(new Set(picks)).toEqual(new Set([MID.model]));
  });

  it("a new repository starts from its installation's experience; its own evidence takes over", () => {
    const installation = {
      [CHEAP.id]: { installation: [200, 10] as const },
      [MID.id]: { installation: [100, 100] as const },
    };
    expect(
      choose(input({ evidence: known(installation), options: { strategy: "performance" } })).model,
    ).toBe(CHEAP.model);
    const evidence = known(
      { ...installation, [CHEAP.id]: { installation: [200, 10], here: [2, 30] } },
      { classStrength: 10 },
    );
    expect(choose(input({ evidence, options: { strategy: "performance" } })).model).not.toBe(
      CHEAP.model,
    );
  });

  it("a class leans on the model's record elsewhere as much as classes are alike", () => {
    // Opus is strong elsewhere and lost its two tasks of this class; sonnet is average.
    const byArm = {
      [STRONG.id]: { elsewhere: [90, 10] as const, here: [0, 2] as const },
      [MID.id]: { elsewhere: [60, 40] as const, here: [6, 4] as const },
    };
    const arms = [STRONG, MID];
    const strategy = { strategy: "performance" } as const;
    // Classes that do not differ: two bad tasks do not outweigh a hundred good ones.
    expect(
      choose(input({ arms, evidence: known(byArm, { classStrength: 50 }), options: strategy }))
        .model,
    ).toBe(STRONG.model);
    // Classes that differ a lot: this class's own outcomes decide.
    expect(
      choose(input({ arms, evidence: known(byArm, { classStrength: 4 }), options: strategy }))
        .model,
    ).toBe(MID.model);
  });

  it("a class every model finds harder moves an untried model's prior with it", () => {
    const byArm = {
      [STRONG.id]: { elsewhere: [80, 20] as const },
      [MID.id]: { elsewhere: [60, 40] as const, here: [3, 7] as const },
    };
    const value = (shift: number) =>
      choose(
        input({
          arms: [STRONG, MID],
          evidence: known(byArm, { classShift: shift }),
          options: { strategy: "performance" },
        }),
      ).rationale;
    // Opus, untried here: its record elsewhere, moved by the class's shift.
    expect(value(0)).toMatch(/expected success 8\d %/);
    expect(value(-0.3)).toMatch(/expected success [45]\d %/);
  });

  it("Beta draws have the right mean", () => {
    const random = seeded(5);
    const draws = Array.from({ length: 20_000 }, () => sampleBeta(3, 7, random));
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.3, 2);
    const small = Array.from({ length: 20_000 }, () => sampleBeta(0.5, 0.5, random));
    expect(small.reduce((s, x) => s + x, 0) / small.length).toBeCloseTo(0.5, 1);
  });
});
