import { describe, expect, it } from "vitest";
import { seeded } from "../fakes/random.ts";
import { taskLine } from "../fakes/records.ts";
import { driftedModels } from "../../src/core/learning/adaptive.ts";
import type { CallLine, TaskLine } from "../../src/core/learning/records.ts";
import { armsEvidence, RouterMemory } from "../../src/core/learning/memory.ts";

const A = "anthropic/sonnet";
const B = "google/flash";
const T0 = Date.UTC(2026, 1, 1);
const hour = (i: number) => new Date(T0 + i * 3_600_000).toISOString();
/** The list price of a task: $0.10 for A, $0.01 for B; B's halves from 2026-03-01. */
const tableCost = (model: string, _role: string, day: string) =>
  model === A ? 0.1 : model === B ? (day >= "2026-03-01" ? 0.005 : 0.01) : undefined;

function line(i: number, model: string, won: boolean, area = "docs"): TaskLine {
  return taskLine({
    task: `t${String(i)}`,
    area,
    risk: "low",
    models: { implementer: { model, provider: model.split("/")[0] ?? "" } },
    outcome: won ? "success" : "failure",
    finishedAt: hour(i),
  });
}
function paid(t: TaskLine, costUsd: number): CallLine {
  return {
    v: 5,
    kind: "call",
    task: t.task,
    key: `${t.task}:implementing:S1:1:implement#0`,
    area: t.area,
    risk: t.risk,
    complexity: t.complexity,
    role: "implementer",
    model: t.models.implementer?.model ?? "",
    provider: t.models.implementer?.provider ?? "",
    effort: null,
    prompt: "implement@1",
    step: "S1",
    tokens: { noCache: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 },
    costUsd,
    latencyMs: 0,
    result: "answered",
    verdict: null,
    gatePassedFirstTime: true,
    fellBack: false,
    retries: 0,
    at: t.finishedAt,
  };
}
const view = (own: RouterMemory, now: string, area = "docs", installation: RouterMemory[] = []) =>
  armsEvidence({ own, installation, role: "implementer", risk: "low", area, models: [A, B], now });

describe("the router's memory", () => {
  it("kept up to date one task at a time, it says what building it from the records says", () => {
    const r = seeded(2);
    const tasks = Array.from({ length: 120 }, (_, i) =>
      line(i, r() < 0.5 ? A : B, r() < 0.7, r() < 0.5 ? "docs" : "core"),
    );
    const calls = tasks.map((t) => paid(t, t.models.implementer?.model === A ? 2 : 0.3));
    const now = hour(200);
    const built = RouterMemory.from(
      { tasks: [...tasks].reverse(), calls },
      { now, halfLifeDays: 30 },
      { halfLifeDays: 30, tableCost },
    );
    const kept = new RouterMemory({ halfLifeDays: 30, tableCost });
    tasks.forEach((t, i) => kept.add(t, [calls[i] as CallLine]));
    const [x, y] = [view(built, now), view(kept, now)];
    for (const model of [A, B]) {
      const [a, b] = [x.arms.get(model), y.arms.get(model)];
      expect(b?.inClass.successes).toBeCloseTo(a?.inClass.successes ?? -1, 9);
      expect(b?.elsewhere.failures).toBeCloseTo(a?.elsewhere.failures ?? -1, 9);
      expect(b?.costUsd).toBeCloseTo(a?.costUsd ?? -1, 9);
    }
    expect(y.classStrength).toBeCloseTo(x.classStrength, 9);
  });

  it("a record one half-life old counts half, and one outside the window not at all", () => {
    const tasks = [line(0, A, true), line(30 * 24, A, false)];
    const memory = RouterMemory.from(
      { tasks, calls: [] },
      { now: hour(30 * 24), days: 20, halfLifeDays: 30 },
      { halfLifeDays: 30, tableCost },
    );
    expect(view(memory, hour(30 * 24)).arms.get(A)?.inClass).toEqual({
      successes: 0,
      failures: 1,
    });
    const all = RouterMemory.from(
      { tasks, calls: [] },
      { now: hour(30 * 24) },
      { halfLifeDays: 30, tableCost },
    );
    expect(view(all, hour(30 * 24)).arms.get(A)?.inClass.successes).toBeCloseTo(0.5, 9);
  });

  it("prices an arm from what its tasks cost here at today's list price, and an untried one from the others' ratio", () => {
    const memory = new RouterMemory({ tableCost });
    // A's tasks cost $5 against a list price of $0.10: fifty times what the table says.
    for (let i = 0; i < 20; i++) {
      const t = line(i, A, true);
      memory.add(t, [paid(t, 5)]);
    }
    const before = view(memory, hour(21));
    expect(before.arms.get(A)?.costUsd).toBeCloseTo(5, 6);
    expect(before.arms.get(A)?.costTasks).toBe(20);
    // B has no record: the table's price, scaled as A's tasks scale it.
    expect(before.arms.get(B)?.costUsd).toBeCloseTo(0.5, 6);
    expect(before.arms.get(B)?.costTasks).toBe(0);
    // An announced price change applies from its day.
    expect(view(memory, "2026-03-02T00:00:00.000Z").arms.get(B)?.costUsd).toBeCloseTo(0.25, 6);
  });

  it("estimates how much classes differ: alike classes share their evidence, classes that differ do not", () => {
    const r = seeded(4);
    const fill = (rate: (model: string, area: string) => number) => {
      const memory = new RouterMemory({ tableCost });
      let i = 0;
      for (const area of ["a", "b", "c", "d"])
        for (const model of [A, B])
          for (let k = 0; k < 60; k++)
            memory.record({
              role: "implementer",
              model,
              risk: "low",
              area,
              won: r() < rate(model, area),
              at: hour(i++),
            });
      return view(memory, hour(i), "a");
    };
    // Each model as good in every class, though the classes differ in difficulty alike.
    const alike = fill((m, area) => (m === A ? 0.7 : 0.5) - (area === "d" ? 0.3 : 0));
    // A is far better in half the classes and far worse in the others.
    const apart = fill((m, area) => ((m === A) === (area === "a" || area === "b") ? 0.9 : 0.2));
    expect(alike.classStrength).toBeGreaterThan(30);
    expect(apart.classStrength).toBeLessThan(8);
  });

  it("a harder class shifts every candidate: what they won there against their records elsewhere", () => {
    const memory = new RouterMemory({ tableCost });
    const r = seeded(8);
    let i = 0;
    for (const [area, rate] of [
      ["easy", 0.8],
      ["hard", 0.3],
    ] as const)
      for (const model of [A, B])
        for (let k = 0; k < 50; k++)
          memory.record({
            role: "implementer",
            model,
            risk: "low",
            area,
            won: r() < rate,
            at: hour(i++),
          });
    expect(view(memory, hour(i), "hard").classShift).toBeLessThan(-0.3);
    expect(view(memory, hour(i), "easy").classShift).toBeGreaterThan(0.3);
  });
});

describe("drift", () => {
  /** Looks at the model after every outcome from the 50th on; the share of looks that say "drifted". */
  function alarms(outcomes: readonly { won: boolean; area: string }[]): {
    share: number;
    first: number | null;
  } {
    const tasks: TaskLine[] = [];
    let fired = 0;
    let looks = 0;
    let first: number | null = null;
    outcomes.forEach((o, i) => {
      tasks.push(line(i, B, o.won, o.area));
      if (i < 50) return;
      looks++;
      if (driftedModels({ tasks, calls: [] }, { now: hour(i) }, "implementer").has(B)) {
        fired++;
        first ??= i;
      }
    });
    return { share: fired / looks, first };
  }
  const stream = (
    seed: number,
    n: number,
    rate: (i: number, area: string) => number,
    grouped: boolean,
  ) => {
    const r = seeded(seed);
    return Array.from({ length: n }, (_, i) => {
      const area = grouped
        ? Math.floor(i / 40) % 2
          ? "core"
          : "docs"
        : r() < 0.5
          ? "core"
          : "docs";
      return { won: r() < rate(i, area), area };
    });
  };
  // Two classes: docs is easy (85 %), core hard (45 %).
  const rates = (i: number, area: string) => (area === "docs" ? 0.85 : 0.45) - (i >= 300 ? 0 : 0);

  it("does not fire on stationary outcomes, classes mixed or arriving in runs", () => {
    for (const grouped of [false, true]) {
      const shares = [1, 2, 3, 4, 5, 6].map(
        (seed) => alarms(stream(seed, 400, rates, grouped)).share,
      );
      expect(Math.max(...shares), `grouped: ${String(grouped)}`).toBeLessThan(0.02);
      expect(shares.reduce((s, x) => s + x, 0) / shares.length).toBeLessThan(0.005);
    }
  });

  it("fires soon after a real drop, and the drifted model's evidence is then its latest outcomes", () => {
    const dropped = (i: number, area: string) => rates(i, area) - (i >= 250 ? 0.35 : 0);
    for (const seed of [1, 2, 3]) {
      const { first } = alarms(stream(seed, 350, dropped, false));
      expect(first, `seed ${String(seed)}`).not.toBeNull();
      expect((first ?? 0) - 250).toBeLessThan(60);
      expect(first ?? 0).toBeGreaterThanOrEqual(250);
    }
    const memory = new RouterMemory({ tableCost });
    stream(1, 320, dropped, false).forEach((o, i) =>
      memory.record({
        role: "implementer",
        model: B,
        risk: "low",
        area: o.area,
        won: o.won,
        at: hour(i),
      }),
    );
    const seen = view(memory, hour(320));
    const b = seen.arms.get(B);
    expect(b?.drifted).toBe(true);
    expect(
      (b?.inClass.successes ?? 0) +
        (b?.inClass.failures ?? 0) +
        (b?.elsewhere.successes ?? 0) +
        (b?.elsewhere.failures ?? 0),
    ).toBe(30);
  });
});
