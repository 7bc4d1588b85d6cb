import { describe, expect, it } from "vitest";
import { modelRegistry } from "../../src/config/models.ts";
import { nearestEffort } from "../../src/core/vocabulary/effort.ts";
import { effortFor, wantedEffort } from "../../src/core/routing/effort.ts";
import { routeTask } from "../../src/core/routing/route.ts";
import { DEFAULT_ROUTING } from "../../src/core/routing/rules.ts";
import type { TaskDefinition } from "../../src/core/task/definition.ts";

const registry = modelRegistry();
const task = (over: Partial<TaskDefinition>): TaskDefinition => ({
  id: "T",
  goal: "g",
  risk: "medium",
  area: "core",
  complexity: "medium",
  context_files: [],
  constraints: [],
  ...over,
});

describe("effort from routing", () => {
  it("a high-risk plan high (xhigh), a small docs step low, a fixer at least medium", () => {
    expect(wantedEffort("planner", { risk: "high", complexity: "medium" }).effort).toBe("xhigh");
    expect(wantedEffort("plan_reviewer", { risk: "high", complexity: "small" }).effort).toBe(
      "xhigh",
    );
    expect(wantedEffort("planner", { risk: "low", complexity: "small" }).effort).toBe("low");
    expect(
      wantedEffort("implementer", { risk: "medium", complexity: "medium", type: "docs" }).effort,
    ).toBe("low");
    expect(
      wantedEffort("implementer", { risk: "high", complexity: "small", type: "docs" }).effort,
    ).toBe("high");
    expect(
      wantedEffort("implementer", { risk: "low", complexity: "large", type: "implementation" })
        .effort,
    ).toBe("high");
    expect(wantedEffort("fixer", { risk: "low", complexity: "small" }).effort).toBe("medium");
  });

  it("a model gets the nearest level it takes, rounding down; none when it takes none", () => {
    const levels = { levels: ["low", "medium", "high"] as const, default: "high" as const };
    const three = { levels: [...levels.levels], default: levels.default };
    expect(nearestEffort(three, "max")).toBe("high");
    expect(nearestEffort({ levels: ["medium", "high"], default: "high" }, "low")).toBe("medium");
    expect(effortFor(registry.models.get("anthropic/claude-sonnet-4-5"), "high")).toBeUndefined();
    expect(effortFor(registry.models.get("anthropic/claude-sonnet-5-5"), "xhigh")).toBe("xhigh");
    expect(effortFor(registry.models.get("openai/gpt-6.1-terra"), "max")).toBe("xhigh");
  });

  it("every role's decision carries its effort, and the rationale says it and why", () => {
    const context = { providers: new Set(["anthropic", "google", "openai"]), registry };
    const high = routeTask(DEFAULT_ROUTING, task({ risk: "high", complexity: "large" }), context);
    expect(high.planner.effort).toBe("xhigh");
    expect(high.planner.rationale).toMatch(
      /; effort (xhigh|high) \(risk high, complexity large, high-risk plan/,
    );
    expect(high.implementer.effort).toBe("high");
    expect(high.implementer.rationale).toMatch(/per step from the step's risk and size$/);
    const low = routeTask(
      DEFAULT_ROUTING,
      task({ risk: "low", area: "docs", complexity: "small" }),
      context,
    );
    expect(Object.values(low).map((d) => d.effort)).toEqual(["low", "low", "low", "low"]);
  });
});
