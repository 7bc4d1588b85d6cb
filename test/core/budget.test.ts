import { describe, expect, it } from "vitest";
import { effortOutputFactor, estimatePlanCost } from "../../src/core/cost/estimate.ts";
import { planComment } from "../../src/core/report/comments.ts";
import { statusBody } from "../../src/core/report/status.ts";
import { summariseLedger } from "../../src/core/cost/ledger.ts";
import {
  call,
  command,
  newDoc,
  PLAN,
  planReview,
  result,
  settle,
  started,
} from "../fakes/machine.ts";

const SONNET = { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 };
const FLASH = { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0.3 };

describe("the plan's cost estimate", () => {
  it("grows with steps, prices and rounds, and its high end covers every review round and gate fix", () => {
    const base = {
      steps: 3,
      promptTokens: 4000,
      implementer: SONNET,
      reviewer: FLASH,
      stepReviewRounds: 2,
      gateAttempts: 3,
    };
    const e = estimatePlanCost(base);
    expect(e.lowUsd).toBeGreaterThan(0);
    expect(e.highUsd).toBeGreaterThan(e.lowUsd * 5);
    expect(estimatePlanCost({ ...base, steps: 6 }).lowUsd).toBeCloseTo(e.lowUsd * 2, 1);
    expect(estimatePlanCost({ ...base, implementer: FLASH }).highUsd).toBeLessThan(e.highUsd);
    // One clean step on Sonnet: turns of 4,000 and 5,900 prompt tokens with 400 out ($0.0278),
    // a Flash review ($0.00255): $0.0304, rounded up to the cent.
    expect(estimatePlanCost({ ...base, steps: 1 }).lowUsd).toBe(0.04);
  });

  it("accounts for each step's effort: low-effort steps cost less than the defaults, xhigh more", () => {
    const base = {
      steps: 2,
      promptTokens: 4000,
      implementer: SONNET,
      reviewer: FLASH,
      stepReviewRounds: 2,
      gateAttempts: 3,
    };
    const at = (implementer: number, reviewer: number) =>
      estimatePlanCost({
        ...base,
        effort: [
          { implementer, reviewer },
          { implementer, reviewer },
        ],
      });
    const defaults = estimatePlanCost(base);
    expect(at(1, 1)).toEqual(defaults);
    expect(at(0.4, 0.4).highUsd).toBeLessThan(defaults.highUsd);
    expect(at(0.4, 0.4).lowUsd).toBeLessThan(defaults.lowUsd);
    expect(at(1.5, 1).highUsd).toBeGreaterThan(defaults.highUsd);
    // Relative to the model's default: low on a model whose default is high is 0.4 of it.
    expect(effortOutputFactor("low", { levels: ["low", "high"], default: "high" })).toBe(0.4);
    expect(
      effortOutputFactor("high", { levels: ["low", "medium", "high"], default: "medium" }),
    ).toBeCloseTo(1 / 0.7);
    expect(effortOutputFactor("high", undefined)).toBe(1);
  });

  it("is in the plan comment beside the budget, and /approve on the plan approves it", () => {
    let doc = started(newDoc({ budgetUsd: 0.05 }));
    doc = result(doc, {
      kind: "plan",
      plan: PLAN,
      calls: [call("T1:planning:-:1:plan#0", "planner", 0.01)],
      estimate: { lowUsd: 0.04, highUsd: 0.9 },
    });
    expect(planComment(doc, PLAN)).toContain(
      "Estimated cost of these steps at list prices: $0.04–$0.90 ($0.04 if each step passes review the first time, up to $0.90 if every review round and gate fix is used; budget $0.05; $0.01 spent so far).",
    );
    doc = settle(doc);
    doc = settle(result(doc, { kind: "plan_review", review: planReview("rejected"), calls: [] }));
    expect(doc.escalation?.reason).toBe("plan_rejected");
    doc = command(doc, "approve");
    expect(doc.limits.budgetUsd).toBe(0.91);
    expect(doc.history.map((h) => h.message).join("\n")).toMatch(
      /approved the plan and its estimate: the budget is now \$0\.91/,
    );
  });
});

describe("the status comment and the budget", () => {
  it("shows spend against the budget, and warns from 80 %", () => {
    let doc = started(newDoc({ budgetUsd: 1 }));
    doc = { ...doc, ledger: [call("a#0", "planner", 0.5)] };
    expect(statusBody(doc)).toContain("Cost so far: $0.50 of the $1.00 budget (50%)");
    expect(statusBody(doc)).not.toContain("WARNING");
    doc = { ...doc, ledger: [call("a#0", "planner", 0.85)] };
    expect(statusBody(doc)).toMatch(/\[!WARNING\]\n> 85% of this task's budget is spent/);
  });

  it("hands back what it has when stopped by the budget: done, next, numbers, the command", () => {
    let doc = started(newDoc({ budgetUsd: 0.01 }));
    doc = settle(
      result(doc, {
        kind: "plan",
        plan: PLAN,
        calls: [call("T1:planning:-:1:plan#0", "planner", 0.02)],
      }),
    );
    expect(doc.escalation?.reason).toBe("budget_reached");
    const body = statusBody(doc);
    expect(body).toContain("Stopped before a call that could cross the budget");
    expect(body).toContain("- Done: no step yet; the plan is kept");
    expect(body).toContain("- Next: the plan review");
    expect(body).toContain("- Spent: $0.02 of $0.01");
    expect(body).toContain("`/budget +N`");
    expect(body).toContain("orchestrator task T1 --budget N");
    expect(body).not.toContain("WARNING");
  });

  it("labels local models and estimated usage in cost tables", () => {
    const lines = summariseLedger([
      { ...call("a#0", "implementer", 0), model: "ollama/qwen3-coder:30b", local: true },
      {
        ...call("b#0", "implementer", 0.01),
        model: "anthropic/claude-sonnet-5-5",
        estimated: true,
      },
      call("c#0", "planner", 0.01),
    ]);
    expect(lines.map((l) => l.label)).toEqual([
      "ollama/qwen3-coder:30b (local)",
      "anthropic/claude-sonnet-5-5 (estimated)",
      "google/gemini-2.5-pro",
    ]);
  });
});
