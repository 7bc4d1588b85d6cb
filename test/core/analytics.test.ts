import { describe, expect, it } from "vitest";
import { taskLine } from "../fakes/records.ts";
import {
  modelStats,
  opportunities,
  rankModels,
  reviewerCalibration,
  taskPatterns,
  weightAt,
  wilson,
} from "../../src/core/learning/analytics.ts";
import type { CallLine, TaskLine, TaskOutcome } from "../../src/core/learning/records.ts";

const NOW = "2026-11-23T00:00:00.000Z";
const daysAgo = (d: number): string => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();

function task(
  id: string,
  o: Partial<TaskLine> & { implementer: string; reviewer?: string; outcome: TaskOutcome },
): TaskLine {
  return taskLine({
    task: id,
    goal: `task ${id}`,
    area: o.area ?? "docs",
    risk: o.risk ?? "low",
    models: {
      implementer: { model: o.implementer, provider: o.implementer.split("/")[0] ?? "" },
      code_reviewer: { model: o.reviewer ?? "google/pro", provider: "google" },
    },
    outcome: o.outcome,
    durationMs: 1000,
    costUsd: o.costUsd ?? 0.1,
    quality_gate_passed: o.outcome === "success",
    quality_gate_first_pass: o.quality_gate_first_pass ?? o.outcome === "success",
    error: o.error ?? null,
    merged: o.merged ?? null,
    startedAt: o.finishedAt ?? daysAgo(1),
    finishedAt: o.finishedAt ?? daysAgo(1),
  });
}

function call(
  t: TaskLine,
  role: CallLine["role"],
  model: string,
  o: Partial<CallLine> = {},
): CallLine {
  return {
    v: 5,
    kind: "call",
    task: t.task,
    key: `${t.task}:${role}:${o.step ?? "S1"}:${o.key ?? "1"}`,
    area: t.area,
    risk: t.risk,
    complexity: t.complexity,
    role,
    model,
    provider: model.split("/")[0] ?? "",
    effort: null,
    prompt: `${role}@1`,
    step: o.step ?? "S1",
    tokens: { noCache: 100, cacheRead: 0, cacheWrite: 0, output: 10, reasoning: 0 },
    costUsd: o.costUsd ?? 0.05,
    latencyMs: 500,
    result: o.result ?? "answered",
    verdict: o.verdict ?? null,
    gatePassedFirstTime: false,
    fellBack: o.fellBack ?? false,
    retries: 0,
    at: o.at ?? t.finishedAt,
  };
}

/** `n` tasks implemented by `model`, `wins` of them successful, each implementer call costing `cost`. */
function fleet(
  prefix: string,
  model: string,
  n: number,
  wins: number,
  cost: number,
  extra: Partial<TaskLine> = {},
) {
  const tasks = Array.from({ length: n }, (_, i) =>
    task(`${prefix}${i}`, {
      implementer: model,
      outcome: i < wins ? "success" : "failure",
      ...extra,
    }),
  );
  const calls = tasks.flatMap((t, i) => [
    call(t, "implementer", model, {
      costUsd: cost,
      result: i < wins ? "approved_first_time" : "needed_changes",
      fellBack: i === 0,
    }),
    call(t, "code_reviewer", "google/pro", {
      verdict: i < wins ? "approved" : "needs_changes",
      key: "r",
    }),
  ]);
  return { tasks, calls };
}

describe("analytics over records", () => {
  it("per model and role: success, cost per task, first-pass review and gate, malformed and fallback rates, merges", () => {
    const a = fleet("a", "anthropic/sonnet", 10, 8, 0.2, { merged: true });
    const stats = modelStats(
      {
        tasks: a.tasks,
        calls: [
          ...a.calls,
          call(a.tasks[0]!, "planner", "google/pro", { result: "invalid_output", key: "p" }),
        ],
      },
      { now: NOW },
    );
    const sonnet = stats.find((s) => s.model === "anthropic/sonnet" && s.role === "implementer");
    expect(sonnet).toMatchObject({
      tasks: 10,
      calls: 10,
      success: { rate: 0.8, n: 10 },
      firstPassReview: { rate: 0.8 },
      firstPassGate: { rate: 0.8 },
      fallback: { rate: 0.1 },
      merged: { rate: 1 },
    });
    expect(sonnet?.costPerTask).toBeCloseTo(0.2);
    expect(stats.find((s) => s.role === "planner")?.malformed.rate).toBe(1);
  });

  it("lines kept: of the lines merged tasks added, the share still there 30 days on; tasks not counted yet are left out", () => {
    const a = fleet("a", "anthropic/sonnet", 3, 3, 0.2, { merged: true });
    const counted = a.tasks.map((t, i) =>
      i === 0
        ? { ...t, survival: { lines: 10, surviving: 8 } }
        : i === 1
          ? { ...t, survival: { lines: 30, surviving: 30 } }
          : t,
    );
    const stats = modelStats({ tasks: counted, calls: a.calls }, { now: NOW });
    const sonnet = stats.find((s) => s.model === "anthropic/sonnet" && s.role === "implementer");
    expect(sonnet?.linesKept).toEqual({ rate: 38 / 40, n: 2 });
    expect(modelStats(a, { now: NOW }).find((s) => s.role === "implementer")?.linesKept).toEqual({
      rate: null,
      n: 0,
    });
  });

  it("a window leaves old records out; a half-life weighs them down", () => {
    expect(weightAt(daysAgo(10), { now: NOW, halfLifeDays: 10 })).toBeCloseTo(0.5);
    expect(weightAt(daysAgo(40), { now: NOW, days: 30 })).toBe(0);
    const recent = fleet("r", "anthropic/sonnet", 4, 4, 0.2);
    const old = fleet("o", "anthropic/sonnet", 4, 0, 0.2, { finishedAt: daysAgo(60) });
    const all = { tasks: [...recent.tasks, ...old.tasks], calls: [...recent.calls, ...old.calls] };
    const rate = (w: Parameters<typeof modelStats>[1]) =>
      modelStats(all, w).find((s) => s.role === "implementer")?.success.rate;
    expect(rate({ now: NOW })).toBe(0.5);
    expect(rate({ now: NOW, days: 30 })).toBe(1);
    expect(rate({ now: NOW, halfLifeDays: 30 })).toBeGreaterThan(0.75);
  });

  it("rankings by any metric, cheapest first for cost", () => {
    const a = fleet("a", "anthropic/sonnet", 10, 9, 0.2);
    const b = fleet("b", "google/flash", 10, 6, 0.02);
    const stats = modelStats(
      { tasks: [...a.tasks, ...b.tasks], calls: [...a.calls, ...b.calls] },
      { now: NOW },
    );
    expect(rankModels(stats, "implementer", "success").map((s) => s.model)).toEqual([
      "anthropic/sonnet",
      "google/flash",
    ]);
    expect(rankModels(stats, "implementer", "cost").map((s) => s.model)).toEqual([
      "google/flash",
      "anthropic/sonnet",
    ]);
  });

  it("reviewer calibration: a reviewer that approves everything is visible, with the work it let through", () => {
    const a = fleet("a", "anthropic/sonnet", 12, 12, 0.2, { quality_gate_first_pass: false });
    const cal = reviewerCalibration(a, { now: NOW });
    expect(cal).toEqual([
      expect.objectContaining({
        model: "google/pro",
        reviews: 12,
        rubberStamp: true,
        approval: { rate: 1, n: 12 },
        misses: { rate: 1, n: 12 },
      }),
    ]);
    const b = fleet("b", "anthropic/sonnet", 10, 5, 0.2);
    const asked = reviewerCalibration(b, { now: NOW })[0];
    expect(asked?.rubberStamp).toBe(false);
    expect(asked?.changesKept).toEqual({ rate: 0, n: 5 });
  });

  it("reviewer calibration counts a miss only for what the reviewer was shown: approving the fix that turned the gate green is none", () => {
    // The first gate run failed after S1 was approved; fix F1 still failed it; F2 made it green.
    const t = task("f", {
      implementer: "anthropic/sonnet",
      outcome: "success",
      quality_gate_first_pass: false,
    });
    const approved = (step: string) =>
      call(t, "code_reviewer", "google/pro", { step, verdict: "approved", key: step });
    const fixes = {
      tasks: [t],
      calls: [approved("S1"), approved("F1"), approved("F2")],
    };
    const [cal] = reviewerCalibration(fixes, { now: NOW });
    // S1 let the failure through, F1 let a failing fix through; F2 was right.
    expect(cal?.misses).toEqual({ rate: 2 / 3, n: 3 });
    // A task whose gate never passed: its last approved fix was a miss too.
    const red = task("g", {
      implementer: "anthropic/sonnet",
      outcome: "failure",
      quality_gate_first_pass: false,
    });
    const [gaveUp] = reviewerCalibration(
      {
        tasks: [{ ...red, quality_gate_passed: false }],
        calls: [call(red, "code_reviewer", "google/pro", { step: "F1", verdict: "approved" })],
      },
      { now: NOW },
    );
    expect(gaveUp?.misses).toEqual({ rate: 1, n: 1 });
  });

  it("task patterns by area and risk: success, cost spread, common errors, best model per role", () => {
    const a = fleet("a", "anthropic/sonnet", 4, 3, 0.2, {
      error: { type: "gate_attempts_exhausted", message: "m", step: null },
    });
    const [p] = taskPatterns(a, { now: NOW });
    expect(p).toMatchObject({
      area: "docs",
      risk: "low",
      tasks: 4,
      success: { rate: 0.75 },
      errors: [{ type: "gate_attempts_exhausted", count: 4 }],
      best: { implementer: "anthropic/sonnet" },
    });
    expect(p?.cost).toEqual({ min: 0.1, median: 0.1, max: 0.1 });
  });

  it("Wilson intervals", () => {
    const i = wilson(8, 10);
    expect(i.low).toBeCloseTo(0.49, 2);
    expect(i.high).toBeCloseTo(0.943, 2);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("an opportunity: a cheaper model nearly as good, with enough tasks; none when it is worse or too little known", () => {
    const strong = fleet("s", "anthropic/sonnet", 60, 54, 0.2);
    const cheap = fleet("c", "google/flash", 60, 58, 0.02);
    const found = opportunities(
      { tasks: [...strong.tasks, ...cheap.tasks], calls: [...strong.calls, ...cheap.calls] },
      { now: NOW },
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      role: "implementer",
      current: "anthropic/sonnet",
      cheaper: "google/flash",
      samples: { current: 60, cheaper: 60 },
    });
    expect(found[0]?.savingPerTaskUsd).toBeCloseTo(0.18);
    expect(found[0]?.text).toMatch(
      /^save \$0\.1800 per task by using google\/flash for the implementer on low-risk docs tasks \(success 97 % vs 90 % with anthropic\/sonnet; 95 % CI \d+ %–\d+ %; 60 and 60 tasks\)$/,
    );
    const worse = fleet("w", "google/flash", 60, 30, 0.02);
    expect(
      opportunities(
        { tasks: [...strong.tasks, ...worse.tasks], calls: [...strong.calls, ...worse.calls] },
        { now: NOW },
      ),
    ).toEqual([]);
    const few = fleet("f", "google/flash", 5, 5, 0.02);
    expect(
      opportunities(
        { tasks: [...strong.tasks, ...few.tasks], calls: [...strong.calls, ...few.calls] },
        { now: NOW },
      ),
    ).toEqual([]);
  });
});
